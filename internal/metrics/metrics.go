// Package metrics is agreementbot's observability: Prometheus metrics
// (client_golang, the only package that imports it) and the one structured
// log line per answered command. It wraps a bot.Handler and exposes hooks
// the adapters call. It logs no message content unless debug is enabled.
package metrics

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/agreementbot/agreementbot/bot"
)

// Metrics holds every metric on its own registry (no global state).
type Metrics struct {
	reg         *prometheus.Registry
	commands    *prometheus.CounterVec
	latency     *prometheus.HistogramVec
	sigFailures *prometheus.CounterVec
	rateLimited *prometheus.CounterVec
	reconnects  *prometheus.CounterVec
	connected   *prometheus.GaugeVec
	panics      prometheus.Counter
	reloads     *prometheus.CounterVec
	asOf        prometheus.Gauge
	countries   prometheus.Gauge

	// answered caches each label set's counter and histogram, so that
	// counting an answer does not hash its labels every time. Platforms,
	// kinds and outcomes are closed sets, so it stays small.
	mu       sync.RWMutex
	answered map[answerKey]answerMetrics
}

type answerKey struct{ platform, kind, outcome string }

type answerMetrics struct {
	count   prometheus.Counter
	latency prometheus.Observer
}

// answer returns the metrics of one label set.
func (m *Metrics) answer(k answerKey) answerMetrics {
	m.mu.RLock()
	am, ok := m.answered[k]
	m.mu.RUnlock()
	if ok {
		return am
	}
	am = answerMetrics{
		count:   m.commands.WithLabelValues(k.platform, k.kind, k.outcome),
		latency: m.latency.WithLabelValues(k.platform, k.kind),
	}
	m.mu.Lock()
	m.answered[k] = am
	m.mu.Unlock()
	return am
}

// New registers every metric, plus the Go and process collectors.
func New() *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry(), answered: map[answerKey]answerMetrics{}}
	m.commands = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "agreementbot_commands_total", Help: "Answered commands by platform, kind and outcome.",
	}, []string{"platform", "kind", "outcome"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "agreementbot_answer_seconds", Help: "Time to answer a command, by platform and kind.",
		Buckets: []float64{0.00001, 0.00005, 0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1},
	}, []string{"platform", "kind"})
	m.sigFailures = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "agreementbot_signature_failures_total", Help: "HTTP requests rejected for a bad, missing or stale signature.",
	}, []string{"platform"})
	m.rateLimited = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "agreementbot_rate_limited_total", Help: "Questions refused by a rate limit, by platform and scope (user or global).",
	}, []string{"platform", "scope"})
	m.reconnects = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "agreementbot_reconnects_total", Help: "Chat connection reconnects by platform.",
	}, []string{"platform"})
	m.connected = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "agreementbot_connected", Help: "1 while a configured chat connection is up.",
	}, []string{"platform"})
	m.panics = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "agreementbot_panics_total", Help: "Panics recovered while answering.",
	})
	m.reloads = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "agreementbot_reloads_total", Help: "Data reloads (SIGHUP) by result.",
	}, []string{"result"})
	m.asOf = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "agreementbot_data_as_of_timestamp_seconds", Help: "The data's as-of date, as a Unix time.",
	})
	m.countries = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "agreementbot_data_countries", Help: "Countries on record in the loaded data.",
	})
	m.reg.MustRegister(m.commands, m.latency, m.sigFailures, m.rateLimited, m.reconnects, m.connected,
		m.panics, m.reloads, m.asOf, m.countries,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves /metrics.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// Registry exposes the registry, for tests.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Store records the loaded data's as-of date and size.
func (m *Metrics) Store(asOf time.Time, countries int) {
	m.asOf.Set(float64(asOf.Unix()))
	m.countries.Set(float64(countries))
}

// Hooks the adapters and middlewares call.
func (m *Metrics) SignatureFailure(platform string) { m.sigFailures.WithLabelValues(platform).Inc() }
func (m *Metrics) RateLimited(platform, scope string) {
	m.rateLimited.WithLabelValues(platform, scope).Inc()
}
func (m *Metrics) Reconnect(platform string) { m.reconnects.WithLabelValues(platform).Inc() }
func (m *Metrics) Connected(platform string, up bool) {
	v := 0.0
	if up {
		v = 1
	}
	m.connected.WithLabelValues(platform).Set(v)
}
func (m *Metrics) Panic()               { m.panics.Inc() }
func (m *Metrics) Reload(result string) { m.reloads.WithLabelValues(result).Inc() }

// Outcome classifies a reply for metrics and logs.
func Outcome(r bot.Reply) string {
	switch r.Kind {
	case bot.KindNotFound:
		return "not_found"
	case bot.KindRateLimited:
		return "rate_limited"
	case bot.KindError:
		return "error"
	case bot.KindHelp:
		if r.Notice != "" {
			return "bad_input"
		}
	}
	return "ok"
}

// Wrap returns a Handler that answers through h, then counts the answer,
// observes its latency and logs one line: platform, command kind, outcome
// and latency. The query text is logged only at debug level.
func (m *Metrics) Wrap(h bot.Handler, log *slog.Logger) bot.Handler {
	return bot.HandlerFunc(func(ctx context.Context, q bot.Query) bot.Reply {
		start := time.Now()
		r := h.Handle(ctx, q)
		d := time.Since(start)
		outcome := Outcome(r)
		am := m.answer(answerKey{q.Platform, string(r.Kind), outcome})
		am.count.Inc()
		am.latency.Observe(d.Seconds())
		if !log.Enabled(ctx, slog.LevelInfo) {
			return r
		}
		attrs := []slog.Attr{
			slog.String("platform", q.Platform), slog.String("kind", string(r.Kind)),
			slog.String("outcome", outcome), slog.Duration("latency", d),
		}
		if log.Enabled(ctx, slog.LevelDebug) {
			attrs = append(attrs, slog.String("query", q.Text))
		}
		log.LogAttrs(ctx, slog.LevelInfo, "answered", attrs...)
		return r
	})
}
