// Package twin compares two structured clones of one value, for the tests
// of the messages and ports packages: the in-process copy against the
// record path must agree on types, bits, capacities, nil-ness and aliasing.
// Only tests import it.
package twin
