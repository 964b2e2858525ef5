package script

import (
	"bufio"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// TestWPT runs the web platform tests for web messaging and structured
// clone against this package's realms. It skips itself unless ENTANGLE_WPT
// names a web-platform-tests tree (.ci/run points it at ../shared/wpt).
// Every test file of the tree runs (see realmsOf for which realms), except
// the files testdata/wpt-expectations.tsv marks SKIP; every result is
// compared with the expectations. With ENTANGLE_WPT_SUMMARY set to a file
// name, the summary table (per class of ../shared/wpt/FILES.tsv) is also
// written there, for the README.
func TestWPT(t *testing.T) {
	tree := os.Getenv("ENTANGLE_WPT")
	if tree == "" {
		t.Skip("ENTANGLE_WPT does not name a web-platform-tests tree")
	}
	exp, err := loadExpectations(filepath.Join("testdata", "wpt-expectations.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	classes, err := loadClasses(filepath.Join(tree, "FILES.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	files, err := testFiles(tree)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no test files under %s", tree)
	}
	sum := newSummary()
	ran := map[string]bool{}
	for _, file := range files {
		realms, err := realmsOf(tree, file)
		if err != nil {
			t.Errorf("%s: %v", file, err)
			continue
		}
		for _, realm := range realms {
			c := wptCase{file: file, realm: realm}
			class := classes[file]
			if x := exp.lookup(file, realm, "*"); x != nil && x.status == "SKIP" {
				x.used = true
				sum.skip(class)
				continue
			}
			t.Run(c.String(), func(t *testing.T) {
				ran[file] = true // (a -run filter may skip the case)
				scripts, err := loadCase(tree, c)
				if err != nil {
					t.Fatal(err)
				}
				r := runCase(t, tree, c, scripts)
				if r.timedOut {
					t.Log("the harness had not finished when the realm went idle: the runner called timeout()")
				}
				for _, s := range r.Tests {
					t.Logf("%-8s %s", statusName(subtestStatus[:], s.Status), s.Name)
				}
				sum.add(class, r)
				for _, d := range exp.check(c, r) {
					t.Error(d)
				}
			})
		}
	}
	for _, u := range exp.unused(ran) {
		t.Error(u)
	}
	table := sum.table()
	t.Log("\n" + table)
	if out := os.Getenv("ENTANGLE_WPT_SUMMARY"); out != "" {
		if err := os.WriteFile(out, []byte(table), 0o644); err != nil {
			t.Error(err)
		}
	}
}

// testFiles lists the test files of the tree, sorted: the names realmsOf
// knows, outside the helpers' folders (resources, support, common).
func testFiles(tree string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(tree, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(tree, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			switch d.Name() {
			case "resources", "support", "common":
				return filepath.SkipDir
			}
			return nil
		}
		for _, suf := range []string{".any.js", ".window.js", ".worker.js", ".html", ".htm"} {
			if strings.HasSuffix(rel, suf) {
				out = append(out, rel)
				break
			}
		}
		return nil
	})
	sort.Strings(out)
	return out, err
}

// loadClasses reads FILES.tsv: path, class, note.
func loadClasses(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) >= 2 && cols[0] != "path" {
			out[cols[0]] = cols[1]
		}
	}
	return out, sc.Err()
}

// summary counts files and subtests per class.
type summary struct {
	rows map[string]*summaryRow
}

type summaryRow struct {
	runs, runsOK, skipped int
	subtests, passed      int
}

func newSummary() *summary { return &summary{rows: map[string]*summaryRow{}} }

func (s *summary) row(class string) *summaryRow {
	if class == "" {
		class = "?"
	}
	r := s.rows[class]
	if r == nil {
		r = &summaryRow{}
		s.rows[class] = r
	}
	return r
}

func (s *summary) skip(class string) { s.row(class).skipped++ }

func (s *summary) add(class string, r wptResult) {
	row := s.row(class)
	row.runs++
	allPass := r.Status == 0 && !r.noReport
	for _, st := range r.Tests {
		row.subtests++
		if st.Status == 0 {
			row.passed++
		} else {
			allPass = false
		}
	}
	if allPass {
		row.runsOK++
	}
}

// table is the summary as a Markdown table.
func (s *summary) table() string {
	var b strings.Builder
	b.WriteString("| class | file runs (file x realm) | all passed | skipped | subtests | passed |\n|---|---|---|---|---|---|\n")
	var classes []string
	for c := range s.rows {
		classes = append(classes, c)
	}
	sort.Strings(classes)
	var tot summaryRow
	for _, c := range classes {
		r := s.rows[c]
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %d | %d |\n", c, r.runs, r.runsOK, r.skipped, r.subtests, r.passed)
		tot.runs += r.runs
		tot.runsOK += r.runsOK
		tot.skipped += r.skipped
		tot.subtests += r.subtests
		tot.passed += r.passed
	}
	fmt.Fprintf(&b, "| all | %d | %d | %d | %d | %d |\n", tot.runs, tot.runsOK, tot.skipped, tot.subtests, tot.passed)
	return b.String()
}
