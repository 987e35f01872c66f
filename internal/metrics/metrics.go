// Package metrics is agreementbot's observability: Prometheus metrics
// (client_golang, the only package that imports it) and the one structured
// log line per answered command. It wraps a bot.Handler and exposes hooks
// the adapters call. It logs no message content unless debug is enabled.
package metrics

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/agreementbot/agreementbot/bot"
)

// Metrics holds every metric on its own registry (no global state).
type Metrics struct {
	now         func() time.Time
	reg         *prometheus.Registry
	commands    *prometheus.CounterVec
	latency     *prometheus.HistogramVec
	deliveries  *prometheus.CounterVec
	buttons     *prometheus.CounterVec
	delivery    *prometheus.HistogramVec
	sigFailures *prometheus.CounterVec
	rateLimited *prometheus.CounterVec
	reconnects  *prometheus.CounterVec
	connected   *prometheus.GaugeVec
	panics      prometheus.Counter
	reloads     *prometheus.CounterVec
	asOf        prometheus.Gauge
	countries   prometheus.Gauge
}

// New registers every metric, plus the Go and process collectors.
// now is the clock latencies are measured with.
func New(now func() time.Time) *Metrics {
	m := &Metrics{now: now, reg: prometheus.NewRegistry()}
	m.commands = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "agreementbot_commands_total", Help: "Answered commands by platform, kind and outcome.",
	}, []string{"platform", "kind", "outcome"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "agreementbot_answer_seconds", Help: "Time to answer a command, by platform and kind.",
		Buckets: []float64{0.00001, 0.00005, 0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1},
	}, []string{"platform", "kind"})
	m.buttons = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "agreementbot_button_presses_total", Help: "Buttons pressed, by platform, action (timeline, sources, card, page, all, or invalid) and outcome.",
	}, []string{"platform", "action", "outcome"})
	m.deliveries = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "agreementbot_deliveries_total", Help: "Answers handed to a chat platform, by platform, kind and outcome (ok, rate_limited, error, panic).",
	}, []string{"platform", "kind", "outcome"})
	m.delivery = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "agreementbot_delivery_seconds", Help: "Time from receiving a command to delivering its answer, by platform.",
		Buckets: []float64{0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 2.5, 5},
	}, []string{"platform"})
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
	m.reg.MustRegister(m.commands, m.latency, m.buttons, m.deliveries, m.delivery, m.sigFailures, m.rateLimited, m.reconnects, m.connected,
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
func (m *Metrics) Panic() { m.panics.Inc() }

// Delivered counts one answer an adapter delivered (the bot.Hooks.Answered
// hook), with how the delivery went.
func (m *Metrics) Delivered(platform, kind string, outcome bot.Outcome, d time.Duration) {
	m.deliveries.WithLabelValues(platform, kind, string(outcome)).Inc()
	m.delivery.WithLabelValues(platform).Observe(d.Seconds())
}
func (m *Metrics) Reload(result string) { m.reloads.WithLabelValues(result).Inc() }

// Wrap returns a Handler that answers through h, then counts the answer,
// observes its latency and logs one line: platform, command kind, outcome
// and latency. The query text is logged only at debug level.
func (m *Metrics) Wrap(h bot.Handler, log *slog.Logger) bot.Handler {
	return bot.HandlerFunc(func(ctx context.Context, q bot.Query) bot.Reply {
		start := m.now()
		r := h.Handle(ctx, q)
		d := m.now().Sub(start)
		outcome := bot.OutcomeOf(r)
		m.commands.WithLabelValues(q.Platform, string(r.Kind), string(outcome)).Inc()
		if q.Button != "" {
			action := "invalid"
			if a, err := bot.ParseButton(q.Button); err == nil {
				action = a.Name
			}
			m.buttons.WithLabelValues(q.Platform, action, string(outcome)).Inc()
		}
		m.latency.WithLabelValues(q.Platform, string(r.Kind)).Observe(d.Seconds())
		if !log.Enabled(ctx, slog.LevelInfo) {
			return r
		}
		attrs := []slog.Attr{
			slog.String("platform", q.Platform), slog.String("kind", string(r.Kind)),
			slog.String("outcome", string(outcome)), slog.Duration("latency", d),
		}
		if log.Enabled(ctx, slog.LevelDebug) {
			attrs = append(attrs, slog.String("query", q.Text))
		}
		log.LogAttrs(ctx, slog.LevelInfo, "answered", attrs...)
		return r
	})
}
