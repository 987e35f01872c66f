package bot

import "time"

// Hooks let the program observe an adapter (metrics, readiness) without the
// adapter knowing how. Every field is optional. They are called
// synchronously, so they must be quick and safe for concurrent use.
type Hooks struct {
	// SignatureFailure is called for each HTTP request rejected for a bad,
	// missing or stale signature.
	SignatureFailure func()
	// Reconnect is called each time a chat connection is re-established
	// after it dropped.
	Reconnect func()
	// Connected reports the state of a chat connection: true when it is
	// up, false when it drops or the adapter stops.
	Connected func(up bool)
	// Answered is called once per answer delivered: kind is the reply's
	// kind (or an adapter-specific kind such as "autocomplete"), outcome
	// how the delivery went, d the time from receipt to delivery.
	Answered func(kind, outcome string, d time.Duration)
}

// OnSignatureFailure calls SignatureFailure if it is set.
func (h Hooks) OnSignatureFailure() {
	if h.SignatureFailure != nil {
		h.SignatureFailure()
	}
}

// OnReconnect calls Reconnect if it is set.
func (h Hooks) OnReconnect() {
	if h.Reconnect != nil {
		h.Reconnect()
	}
}

// OnConnected calls Connected if it is set.
func (h Hooks) OnConnected(up bool) {
	if h.Connected != nil {
		h.Connected(up)
	}
}

// OnAnswered calls Answered if it is set.
func (h Hooks) OnAnswered(kind, outcome string, d time.Duration) {
	if h.Answered != nil {
		h.Answered(kind, outcome, d)
	}
}
