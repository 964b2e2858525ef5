// Package quiet is the private link from package actors to package
// actors/actorstest: the test helpers reach a plugin's counters through
// these functions, which actors sets in its init. Their argument is an
// *actors.Plugin (this package cannot name the type without an import
// cycle). Nothing here is part of either package's public API.
package quiet
