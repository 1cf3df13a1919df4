//! Prometheus metrics (`GET /internal-backstage/prometheus`): requests and latency by operation
//! and status, the hash queue, the mail outbox (levels, calls in flight, delivery latency) and
//! rate-limit rejections. Labels are operation
//! ids and status codes only (bounded), never paths, users or addresses.

use prometheus::{
    Encoder, Histogram, HistogramOpts, HistogramVec, IntCounterVec, IntGauge, Opts, Registry,
    TextEncoder,
};

pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    rejections: IntCounterVec,
    hash_queue: IntGauge,
    outbox_pending: IntGauge,
    outbox_dead: IntGauge,
    mail_in_flight: IntGauge,
    mail_delivery: Histogram,
}

/// Levels the metrics read from other components when scraped.
pub struct Levels {
    pub hash_queue: usize,
    pub outbox_pending: i64,
    pub outbox_dead: i64,
}

impl Metrics {
    pub fn new() -> anyhow::Result<Self> {
        let registry = Registry::new();
        let requests = IntCounterVec::new(
            Opts::new(
                "http_requests_total",
                "HTTP requests by operation and status.",
            ),
            &["operation", "status"],
        )?;
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "http_request_duration_seconds",
                "Time from request to answer, by operation.",
            )
            .buckets(vec![
                0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
            ]),
            &["operation"],
        )?;
        let rejections = IntCounterVec::new(
            Opts::new(
                "unlatch_rate_limit_rejections_total",
                "Requests refused with 429 or shed with 503, by reason.",
            ),
            &["reason"],
        )?;
        let hash_queue = IntGauge::new(
            "unlatch_hash_queue_depth",
            "Password hashes running or waiting for a thread.",
        )?;
        let outbox_pending = IntGauge::new("unlatch_outbox_pending", "Mail waiting for delivery.")?;
        let outbox_dead = IntGauge::new("unlatch_outbox_dead", "Mail that will not be retried.")?;
        let mail_in_flight = IntGauge::new(
            "unlatch_mail_in_flight",
            "Calls to the mail relay under way on this instance.",
        )?;
        let mail_delivery = Histogram::with_opts(
            HistogramOpts::new(
                "unlatch_mail_delivery_seconds",
                "Time from queueing a mail to the relay accepting it, retries included.",
            )
            .buckets(vec![
                0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0, 900.0, 3600.0,
            ]),
        )?;
        registry.register(Box::new(requests.clone()))?;
        registry.register(Box::new(latency.clone()))?;
        registry.register(Box::new(rejections.clone()))?;
        registry.register(Box::new(hash_queue.clone()))?;
        registry.register(Box::new(outbox_pending.clone()))?;
        registry.register(Box::new(outbox_dead.clone()))?;
        registry.register(Box::new(mail_in_flight.clone()))?;
        registry.register(Box::new(mail_delivery.clone()))?;
        Ok(Metrics {
            registry,
            requests,
            latency,
            rejections,
            hash_queue,
            outbox_pending,
            outbox_dead,
            mail_in_flight,
            mail_delivery,
        })
    }

    /// A call to the mail relay started (+1) or ended (-1).
    pub fn mail_in_flight(&self, delta: i64) {
        self.mail_in_flight.add(delta);
    }

    /// A mail was accepted by the relay `seconds` after it was queued.
    pub fn mail_delivered(&self, seconds: f64) {
        self.mail_delivery.observe(seconds);
    }

    /// One answered request. `operation` is an operation id, `page`, or `none` (not routed).
    pub fn observe(&self, operation: &str, status: u16, seconds: f64) {
        let mut code = itoa::Buffer::new();
        self.requests
            .with_label_values(&[operation, code.format(status)])
            .inc();
        self.latency
            .with_label_values(&[operation])
            .observe(seconds);
        let reason = match status {
            429 => Some("rate_limited"),
            503 => Some("hash_queue_full"),
            _ => None,
        };
        if let Some(reason) = reason {
            self.rejections.with_label_values(&[reason]).inc();
        }
    }

    /// The text exposition, with the levels as they are now.
    pub fn render(&self, levels: Levels) -> Result<String, prometheus::Error> {
        self.hash_queue
            .set(i64::try_from(levels.hash_queue).unwrap_or(i64::MAX));
        self.outbox_pending.set(levels.outbox_pending);
        self.outbox_dead.set(levels.outbox_dead);
        let mut out = Vec::new();
        TextEncoder::new().encode(&self.registry.gather(), &mut out)?;
        String::from_utf8(out).map_err(|e| prometheus::Error::Msg(e.to_string()))
    }
}
