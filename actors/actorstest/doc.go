// Package actorstest helps the tests of programs built on package actors,
// as net/http/httptest does for net/http: WaitQuiet waits until a plugin's
// contexts have nothing more to do, so that a test can check what happened
// without sleeping, and Activity counts their tasks, for tests that span
// several actor systems.
package actorstest
