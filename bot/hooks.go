package bot

import "time"

// Outcome says how answering or delivering went. It is the one vocabulary
// the adapters, the middlewares and the metrics share; its values are
// metric label values.
type Outcome string

// The outcomes.
const (
	OutcomeOK          Outcome = "ok"           // answered (and, for a delivery, delivered)
	OutcomeNotFound    Outcome = "not_found"    // nothing matched the query
	OutcomeBadInput    Outcome = "bad_input"    // a malformed command: help with the problem stated
	OutcomeRateLimited Outcome = "rate_limited" // refused by our limit, or the platform said 429 and there was no time to retry
	OutcomeError       Outcome = "error"        // answering or delivering failed
	OutcomePanic       Outcome = "panic"        // answering panicked; an apology was sent
)

// OutcomeOf classifies a reply.
func OutcomeOf(r Reply) Outcome {
	switch r.Kind {
	case KindNotFound:
		return OutcomeNotFound
	case KindRateLimited:
		return OutcomeRateLimited
	case KindError:
		return OutcomeError
	case KindHelp:
		if r.Notice != "" {
			return OutcomeBadInput
		}
	}
	return OutcomeOK
}

// DeliveryOutcome classifies the delivery of a reply: err is what sending
// it returned (nil when it arrived).
func DeliveryOutcome(err error) Outcome {
	if err != nil {
		return OutcomeError
	}
	return OutcomeOK
}

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
	// Answered is called once per answer delivered (or not): kind is the
	// reply's kind (or an adapter-specific kind such as "autocomplete"),
	// outcome how the delivery went, d the time from receipt to delivery.
	Answered func(kind string, outcome Outcome, d time.Duration)
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
func (h Hooks) OnAnswered(kind string, outcome Outcome, d time.Duration) {
	if h.Answered != nil {
		h.Answered(kind, outcome, d)
	}
}
