package script

import (
	"bufio"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"

	"golang.org/x/net/html"
)

// How the web-platform-tests runner (wpt_test.go) turns one test file of
// the tree into the scripts a realm runs, in order, in its first task: the
// runner's prelude, testharness.js, testharnessreport.js, the file's own
// helper scripts, the test, and the runner's epilogue. That is what
// wptserve's generated wrappers (for .any.js, .window.js and .worker.js)
// and a browser's loading of an .html file do, minus the network.

// wptRealm is the kind of global a test file runs in.
type wptRealm string

const (
	realmWindow wptRealm = "window"
	realmWorker wptRealm = "worker"
)

// wptCase is one test file in one realm.
type wptCase struct {
	file  string // path inside the tree, slash-separated
	realm wptRealm
}

func (c wptCase) String() string { return c.file + "@" + string(c.realm) }

// realmsOf returns the realms a test file runs in, by its name: .any.js in
// a window and in a dedicated worker (or the globals its META: global line
// names, among those two), .window.js and .html/.htm in a window, .worker.js
// in a worker; nil for anything else (helpers, resources).
func realmsOf(tree, file string) ([]wptRealm, error) {
	switch {
	case strings.HasSuffix(file, ".any.js"):
		meta, err := readMeta(filepath.Join(tree, filepath.FromSlash(file)))
		if err != nil {
			return nil, err
		}
		var out []wptRealm
		globals := meta["global"]
		if len(globals) == 0 {
			globals = []string{"window,dedicatedworker"}
		}
		for _, g := range strings.Split(strings.Join(globals, ","), ",") {
			switch strings.TrimSpace(g) {
			case "window":
				out = appendRealm(out, realmWindow)
			case "worker", "dedicatedworker":
				out = appendRealm(out, realmWorker)
			}
		}
		return out, nil
	case strings.HasSuffix(file, ".window.js"), strings.HasSuffix(file, ".html"), strings.HasSuffix(file, ".htm"):
		return []wptRealm{realmWindow}, nil
	case strings.HasSuffix(file, ".worker.js"):
		return []wptRealm{realmWorker}, nil
	}
	return nil, nil
}

func appendRealm(rs []wptRealm, r wptRealm) []wptRealm {
	for _, x := range rs {
		if x == r {
			return rs
		}
	}
	return append(rs, r)
}

// readMeta reads the "// META: key=value" lines at the top of a .js test.
func readMeta(file string) (map[string][]string, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	meta := map[string][]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if !strings.HasPrefix(line, "// META:") {
			if line == "" || strings.HasPrefix(line, "//") {
				continue
			}
			break
		}
		kv := strings.TrimSpace(strings.TrimPrefix(line, "// META:"))
		k, v, ok := strings.Cut(kv, "=")
		if ok {
			meta[strings.TrimSpace(k)] = append(meta[strings.TrimSpace(k)], strings.TrimSpace(v))
		}
	}
	return meta, sc.Err()
}

// wptScript is one script a test case runs.
type wptScript struct {
	name string // the path shown in stacks
	text string
}

// loadCase returns the scripts of a case, prelude and epilogue included.
func loadCase(tree string, c wptCase) ([]wptScript, error) {
	read := func(p string) (wptScript, error) {
		b, err := os.ReadFile(filepath.Join(tree, filepath.FromSlash(strings.TrimPrefix(p, "/"))))
		if err != nil {
			return wptScript{}, err
		}
		return wptScript{name: p, text: string(b)}, nil
	}
	resolve := func(src string) string {
		if strings.HasPrefix(src, "/") {
			return src
		}
		return "/" + path.Join(path.Dir(c.file), src)
	}
	var out []wptScript
	if strings.HasSuffix(c.file, ".js") {
		meta, err := readMeta(filepath.Join(tree, filepath.FromSlash(c.file)))
		if err != nil {
			return nil, err
		}
		title := ""
		if ts := meta["title"]; len(ts) > 0 {
			title = ts[0]
		}
		out = append(out, wptScript{name: "wpt-prelude.js", text: prelude(c.realm, title)})
		for _, p := range []string{"/resources/testharness.js", "/resources/testharnessreport.js"} {
			s, err := read(p)
			if err != nil {
				return nil, err
			}
			out = append(out, s)
		}
		for _, src := range meta["script"] {
			s, err := read(resolve(src))
			if err != nil {
				return nil, fmt.Errorf("META script %s: %w", src, err)
			}
			out = append(out, s)
		}
		s, err := read("/" + c.file)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	} else {
		out = append(out, wptScript{name: "wpt-prelude.js", text: prelude(c.realm, "")})
		scripts, err := htmlScripts(filepath.Join(tree, filepath.FromSlash(c.file)))
		if err != nil {
			return nil, err
		}
		for i, s := range scripts {
			if s.src != "" {
				r, err := read(resolve(s.src))
				if err != nil {
					return nil, fmt.Errorf("script src %s: %w", s.src, err)
				}
				out = append(out, r)
				continue
			}
			out = append(out, wptScript{name: fmt.Sprintf("/%s#script%d", c.file, i), text: s.text})
		}
	}
	out = append(out, wptScript{name: "wpt-epilogue.js", text: epilogue(c.realm)})
	return out, nil
}

// resultMarker starts the console line that carries a file's results.
const resultMarker = "\x00wpt-results "

// prelude is what wptserve's wrapper sets before the harness: the GLOBAL
// object the .any.js tests ask, and META_TITLE. The harness then reports
// its results on the console, one JSON line the runner reads.
func prelude(realm wptRealm, title string) string {
	isWindow := realm == realmWindow
	return fmt.Sprintf(`self.GLOBAL = {
  isWindow: function () { return %t; },
  isWorker: function () { return %t; },
  isShadowRealm: function () { return false; },
};
self.META_TITLE = %q;
`, isWindow, !isWindow, title)
}

// epilogue registers the runner's completion callback (after the harness
// has loaded) and, in a worker, tells the harness the file is done loading,
// as wptserve's worker wrapper does.
func epilogue(realm wptRealm) string {
	s := `add_completion_callback(function (tests, status) {
  console.log(` + fmt.Sprintf("%q", resultMarker) + ` + JSON.stringify({
    status: status.status, message: status.message,
    tests: tests.map(function (t) { return {name: t.name, status: t.status, message: t.message}; }),
  }));
});
`
	if realm == realmWorker {
		s += "done();\n"
	}
	return s
}

// htmlScript is one <script> of an .html test: a src or inline text.
type htmlScript struct {
	src  string
	text string
}

// htmlScripts returns the scripts of an HTML test file in document order,
// with an inline body's onload attribute as a last script that runs it
// on the load event.
func htmlScripts(file string) ([]htmlScript, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	doc, err := html.Parse(f)
	if err != nil {
		return nil, err
	}
	var out []htmlScript
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "script" {
			s := htmlScript{}
			typ := ""
			for _, a := range n.Attr {
				switch a.Key {
				case "src":
					s.src = a.Val
				case "type":
					typ = strings.ToLower(strings.TrimSpace(a.Val))
				}
			}
			if typ != "" && typ != "text/javascript" && typ != "application/javascript" {
				return // not a classic script (a module, or data)
			}
			if s.src == "" {
				var b strings.Builder
				for c := n.FirstChild; c != nil; c = c.NextSibling {
					if c.Type == html.TextNode {
						b.WriteString(c.Data)
					}
				}
				s.text = b.String()
			}
			out = append(out, s)
			return
		}
		if n.Type == html.ElementNode && n.Data == "body" {
			for _, a := range n.Attr {
				if a.Key == "onload" {
					defer func(code string) {
						out = append(out, htmlScript{text: "addEventListener('load', function (event) {\n" + code + "\n});"})
					}(a.Val)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out, nil
}
