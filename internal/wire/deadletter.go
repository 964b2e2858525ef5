package wire

// The protocol's own messages reach a stopped actor in ordinary races (a
// proxy that has just retired, a tombstone that has finished). The ports
// package handles them through its dead-letter hook, so protoactor need not
// log them.

func (*Msg) IgnoreDeadLetterLogging()           {}
func (*Claim) IgnoreDeadLetterLogging()         {}
func (*State) IgnoreDeadLetterLogging()         {}
func (*ClaimRejected) IgnoreDeadLetterLogging() {}
func (*Bypass) IgnoreDeadLetterLogging()        {}
func (*BypassAck) IgnoreDeadLetterLogging()     {}
func (*BypassRetry) IgnoreDeadLetterLogging()   {}
func (*PrevIs) IgnoreDeadLetterLogging()        {}
func (*Closed) IgnoreDeadLetterLogging()        {}
func (*Abandon) IgnoreDeadLetterLogging()       {}
func (*Landed) IgnoreDeadLetterLogging()        {}
func (*Direct) IgnoreDeadLetterLogging()        {}
