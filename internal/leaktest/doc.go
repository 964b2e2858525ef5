// Package leaktest holds the goleak options shared by the tests of
// entangle's packages: the goroutines that protoactor and gRPC leave
// behind on their own, and nothing else.
package leaktest
