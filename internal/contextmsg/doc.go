// Package contextmsg is the private link between the ports and actors
// packages for window and worker messaging. The actors package posts with
// PostTo, which ports sets in its init; the receiving context's middleware
// reads the plumbing of a delivered event with MetaOf. Nothing here is part
// of either package's public API.
package contextmsg
