package script

import (
	"bufio"
	"fmt"
	"os"
	"strings"
)

// The expectations of the web-platform-tests runner: every subtest passes
// and every file's harness ends OK, except what testdata/wpt-expectations.tsv
// lists, each with its reason. A listed subtest must end exactly as listed:
// one that passes is an unexpected pass, and fails the run as a regression
// does, so the file is always the truth.
//
// Columns, tab-separated: file (path inside the tree), realm (window,
// worker, or * for both), subtest (its name, or * for the file itself),
// status, reason. For a file (subtest *) the status is the harness's (OK,
// ERROR, TIMEOUT, PRECONDITION_FAILED) or SKIP: not run at all. For a
// subtest it is FAIL, TIMEOUT, NOTRUN or PRECONDITION_FAILED. Lines
// starting with # are comments.

type expectKey struct {
	file, realm, subtest string
}

type expectation struct {
	status, reason string
	line           int
	used           bool
}

type expectations map[expectKey]*expectation

func loadExpectations(path string) (expectations, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	exp := expectations{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) != 5 {
			return nil, fmt.Errorf("%s:%d: want 5 tab-separated columns, have %d", path, n, len(cols))
		}
		if cols[4] == "" {
			return nil, fmt.Errorf("%s:%d: an expectation needs its reason", path, n)
		}
		switch cols[1] {
		case "window", "worker", "*":
		default:
			return nil, fmt.Errorf("%s:%d: realm %q is not window, worker or *", path, n, cols[1])
		}
		k := expectKey{cols[0], cols[1], cols[2]}
		if _, dup := exp[k]; dup {
			return nil, fmt.Errorf("%s:%d: %v is listed twice", path, n, k)
		}
		exp[k] = &expectation{status: cols[3], reason: cols[4], line: n}
	}
	return exp, sc.Err()
}

// lookup returns the expectation of a subtest (or of the file, subtest
// "*") in a realm: the realm's own line, else the line for both.
func (e expectations) lookup(file string, realm wptRealm, subtest string) *expectation {
	if x := e[expectKey{file, string(realm), subtest}]; x != nil {
		return x
	}
	return e[expectKey{file, "*", subtest}]
}

// harness and subtest statuses, as testharness.js numbers them.
var (
	harnessStatus = [...]string{"OK", "ERROR", "TIMEOUT", "PRECONDITION_FAILED"}
	subtestStatus = [...]string{"PASS", "FAIL", "TIMEOUT", "NOTRUN", "PRECONDITION_FAILED"}
)

func statusName(names []string, n int) string {
	if n >= 0 && n < len(names) {
		return names[n]
	}
	return fmt.Sprintf("status %d", n)
}

// wptResult is what one case reported.
type wptResult struct {
	Status   int          `json:"status"`
	Message  string       `json:"message"`
	Tests    []wptSubtest `json:"tests"`
	timedOut bool         // the runner had to call timeout()
	noReport bool         // the harness never reported, even after timeout()
}

type wptSubtest struct {
	Name    string `json:"name"`
	Status  int    `json:"status"`
	Message string `json:"message"`
}

// check compares a case's result with the expectations; it returns one
// line per difference.
func (e expectations) check(c wptCase, r wptResult) []string {
	var diffs []string
	want := "OK"
	if x := e.lookup(c.file, c.realm, "*"); x != nil {
		x.used = true
		want = x.status
	}
	got := statusName(harnessStatus[:], r.Status)
	if r.noReport {
		got = "NO_REPORT"
	}
	if got != want {
		diffs = append(diffs, fmt.Sprintf("%s: harness status %s (%s), expected %s", c, got, r.Message, want))
	}
	for _, s := range r.Tests {
		want := "PASS"
		if x := e.lookup(c.file, c.realm, s.Name); x != nil {
			x.used = true
			want = x.status
		}
		if got := statusName(subtestStatus[:], s.Status); got != want {
			diffs = append(diffs, fmt.Sprintf("%s: %q %s (%s), expected %s", c, s.Name, got, s.Message, want))
		}
	}
	return diffs
}

// unused returns the expectations of the cases run that matched nothing:
// a subtest that no longer exists, or a misspelled name.
func (e expectations) unused(ran map[string]bool) []string {
	var out []string
	for k, x := range e {
		if !ran[k.file] || x.used || k.subtest == "*" {
			continue
		}
		out = append(out, fmt.Sprintf("line %d: %s %s %q matches no subtest", x.line, k.file, k.realm, k.subtest))
	}
	return out
}
