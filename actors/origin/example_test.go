package origin_test

import (
	"fmt"

	"github.com/entangle-go/entangle/actors/origin"
)

func ExampleParse() {
	for _, s := range []string{
		"https://Example.COM:443/path?q#f",
		"http://0x7f.1:8080",
		"https://bücher.example",
		"http://[0:0::1]",
		"file:///etc/hosts",
	} {
		o, err := origin.Parse(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(o)
	}
	_, err := origin.Parse("example.com")
	fmt.Println(err)
	// Output:
	// https://example.com
	// http://127.0.0.1:8080
	// https://xn--bcher-kva.example
	// http://[::1]
	// null
	// origin: SyntaxError: 'example.com' is not an absolute URL or origin: no scheme
}

func ExampleOrigin_SameOrigin() {
	a := origin.MustParse("https://a.example")
	fmt.Println(a.SameOrigin(origin.MustParse("https://a.example:443/page")))
	fmt.Println(a.SameOrigin(origin.MustParse("http://a.example")))
	fmt.Println(a.Scheme(), a.Host(), a.Port())
	// Output:
	// true
	// false
	// https a.example 443
}

func ExampleOpaque() {
	sandbox := origin.Opaque()
	fmt.Println(sandbox, sandbox.IsOpaque())
	fmt.Println(sandbox.SameOrigin(sandbox), sandbox.SameOrigin(origin.Opaque()))
	// Output:
	// null true
	// true false
}
