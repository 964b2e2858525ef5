// Package mailq holds the message queues of the mailboxes of port actors
// (package ports) and of contexts (package actors): system messages first,
// user messages in order, and protoactor's suspension.
package mailq
