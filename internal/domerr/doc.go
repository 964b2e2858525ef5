// Package domerr is the error type that the ports and actors packages
// raise: a message prefixed with the package's name that matches one of
// the messages package's DOMException sentinels with errors.Is.
package domerr
