package script

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"strings"

	"github.com/entangle-go/entangle/actors/origin"
)

// Scripts that a script loads (new Worker's, importScripts') are fetched
// from the host's file system (WithFS): a URL of the realm's own origin
// names the file at its path, without the leading slash. There is no
// network: a URL of another origin cannot be fetched.

// baseURL is the realm's location as a URL: what relative URLs of its
// scripts resolve against.
func (r *realm) baseURL() *url.URL {
	href := r.scope.Origin().String() + "/"
	if href == "null/" {
		href = "about:blank"
	}
	base, err := url.Parse(href)
	if err != nil {
		base = &url.URL{Scheme: "about", Opaque: "blank"}
	}
	if r.url != "" {
		if u, err := base.Parse(r.url); err == nil {
			return u
		}
	}
	return base
}

// resolveURL parses raw against the realm's location.
func (r *realm) resolveURL(raw string) (*url.URL, error) {
	u, err := r.baseURL().Parse(raw)
	if err != nil || !u.IsAbs() {
		return nil, fmt.Errorf("the URL '%s' is invalid", raw)
	}
	return u, nil
}

// sameOrigin reports whether u has the realm's origin.
func (r *realm) sameOrigin(u *url.URL) bool {
	o, err := origin.Parse(u.String())
	return err == nil && o.SameOrigin(r.scope.Origin())
}

// fetchScript reads the script at u from the host's file system.
func (r *realm) fetchScript(u *url.URL) (string, error) {
	if !r.sameOrigin(u) {
		return "", fmt.Errorf("%s is not of the origin %s: the host fetches only its own origin's scripts", u, r.scope.Origin())
	}
	if r.host.cfg.fs == nil {
		return "", errors.New("the host has no file system (WithFS)")
	}
	name := strings.TrimPrefix(path.Clean("/"+u.Path), "/")
	if name == "" {
		return "", fmt.Errorf("%s names no file", u)
	}
	b, err := fs.ReadFile(r.host.cfg.fs, name)
	if err != nil {
		return "", err
	}
	return string(b), nil
}
