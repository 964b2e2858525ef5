// Package uncaught is the private link from package actors to the script
// host (actors/script) for uncaught exceptions that a context's own code
// has already reported: a realm fires its error event itself and logs the
// error if no listener cancels it; what is left is the actors package's
// part, which Forward does. actors sets it in its init. Nothing here is
// part of either package's public API.
package uncaught
