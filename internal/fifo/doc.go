// Package fifo holds the growable FIFO queue that the mailboxes of port
// actors (package ports) and of contexts (package actors) keep their
// messages in.
package fifo
