//go:build !race

package messages_test

// raceBuild is set when the tests run under the race detector, which
// makes sync.Pool drop some of what it is given, on purpose.
const raceBuild = false
