package messages

// SwapRegistration is swapRegistration for the external tests.
var SwapRegistration = swapRegistration
