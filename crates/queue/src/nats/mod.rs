//! The queue in NATS JetStream, for workers on several machines.
//!
//! Records go to the subject `storyline.records` of the stream
//! `STORYLINE_RECORDS`: file storage (a restarted server keeps them),
//! work-queue retention (a record is deleted once acknowledged, so the
//! stream holds the backlog, not the history: the store is the history),
//! and deduplication by `Nats-Msg-Id`, the article's content id, within
//! the stream's duplicate window. Workers share one durable pull consumer,
//! `workers`, with explicit acknowledgement, an ack wait (a worker that
//! dies or hangs gives its records back after it) and a delivery limit.
//! Only workers create or change that consumer ([`ConsumerSetup`]): a
//! publisher that created it first would fix its settings before any
//! worker could give its own.
//! Dead letters are copies in the stream `STORYLINE_DEAD` (subject
//! `storyline.dead`, kept until deleted), their reason and delivery count in
//! headers, their id as `Nats-Msg-Id` so a record set aside twice is kept
//! once.
//!
//! The client is asynchronous; the queue keeps a runtime of its own with one
//! thread, which also answers the server's pings and reconnects while the
//! caller is busy analysing, and exposes the synchronous [`Queue`].

pub mod server;

use std::sync::Mutex;
use std::time::Duration;

use async_nats::jetstream::context::ConsumerInfoErrorKind;
use async_nats::jetstream::{self, consumer, stream, AckKind};
use bytes::Bytes;
use futures_util::{FutureExt, StreamExt};
use tracing::{info, warn};

use crate::{
    redact_url, DeadLetter, Delivery, Handle, Published, Queue, QueueError, QueueStatus, Record,
};

/// The stream of records.
pub const STREAM: &str = "STORYLINE_RECORDS";
/// The subject records are published to.
pub const SUBJECT: &str = "storyline.records";
/// The stream of dead letters.
pub const DEAD_STREAM: &str = "STORYLINE_DEAD";
/// The subject dead letters are published to.
pub const DEAD_SUBJECT: &str = "storyline.dead";
/// The core NATS subject (in no stream: a word, not a record) on which
/// workers say they stored records, and the linker listens.
pub const STORED_SUBJECT: &str = "storyline.stored";
/// The workers' durable consumer.
pub const CONSUMER: &str = "workers";
/// The header holding a dead letter's reason.
pub const REASON_HEADER: &str = "Storyline-Reason";
/// The header holding a dead letter's delivery count.
pub const DELIVERIES_HEADER: &str = "Storyline-Deliveries";

/// What a connection does about the workers' consumer, whose settings
/// (ack wait, delivery limit) belong to the workers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ConsumerSetup {
    /// Neither create nor change it: publishers and readers of the
    /// status. Such a connection cannot fetch.
    #[default]
    Leave,
    /// A worker: create it with the options' settings when it is missing;
    /// an existing one keeps its own (another worker set them).
    Create,
    /// A worker given settings explicitly: create it, or change an
    /// existing one's ack wait and delivery limit to the ones given here
    /// (`None` keeps the consumer's own; said in the log). The last such
    /// worker to start decides for all of them.
    Enforce {
        /// The ack wait to set.
        ack_wait: Option<Duration>,
        /// The delivery limit to set.
        max_deliver: Option<u64>,
    },
}

/// How the streams and the consumer are set up.
#[derive(Clone, Debug)]
pub struct NatsOptions {
    /// How long a worker has to acknowledge a record (or say it is still
    /// working on it) before it is delivered to another.
    pub ack_wait: Duration,
    /// Deliveries of one record at most; the last one is set aside.
    pub max_deliver: u64,
    /// Records delivered and not acknowledged, over all workers, at most.
    pub max_ack_pending: u64,
    /// How long a record's id is remembered to drop a second publication.
    pub duplicate_window: Duration,
    /// How long to wait for the server when connecting.
    pub connect_timeout: Duration,
    /// Whether this connection creates or changes the workers' consumer.
    pub consumer: ConsumerSetup,
}

impl Default for NatsOptions {
    fn default() -> Self {
        NatsOptions {
            // An article takes well under a second to analyse; a worker
            // that holds a batch extends its deliveries while it works, so
            // this only bounds how long a dead worker's records wait.
            ack_wait: Duration::from_secs(60),
            max_deliver: 5,
            max_ack_pending: 10_000,
            duplicate_window: Duration::from_secs(120),
            connect_timeout: Duration::from_secs(10),
            consumer: ConsumerSetup::Leave,
        }
    }
}

/// A [`Queue`] in a NATS JetStream server.
pub struct NatsQueue {
    runtime: tokio::runtime::Runtime,
    js: jetstream::Context,
    /// The records' stream.
    records: stream::Stream,
    /// The workers' consumer, for a connection that set it up
    /// ([`ConsumerSetup::Create`] or [`ConsumerSetup::Enforce`]).
    consumer: Option<consumer::PullConsumer>,
    /// The URL without its password, for messages.
    url: String,
    options: NatsOptions,
    /// Words that records were stored, once [`Queue::listen_stored`] ran.
    stored: Mutex<Option<async_nats::Subscriber>>,
}

impl std::fmt::Debug for NatsQueue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NatsQueue").field("url", &self.url).finish()
    }
}

impl NatsQueue {
    /// Connects to the server at `url` (`nats://[USER:PASSWORD@]HOST:PORT`)
    /// and creates the streams and the consumer when they do not exist.
    /// Once connected, the client reconnects by itself when the server
    /// goes away; calls made meanwhile fail as [`QueueError::Unavailable`].
    pub fn connect(url: &str, options: NatsOptions) -> Result<NatsQueue, QueueError> {
        if !crate::is_nats_url(url) {
            return Err(QueueError::BadUrl(
                "--queue is not a NATS URL: expected nats://HOST:PORT".into(),
            ));
        }
        let shown = redact_url(url);
        let unavailable = |reason: String| QueueError::Unavailable {
            url: shown.clone(),
            reason,
        };
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("storyline-nats")
            .enable_all()
            .build()
            .map_err(|e| unavailable(format!("cannot start the client's runtime: {e}")))?;
        let (js, records, consumer) = runtime.block_on(async {
            let logged = shown.clone();
            let client = async_nats::ConnectOptions::new()
                .connection_timeout(options.connect_timeout)
                .event_callback(move |event| {
                    let url = logged.clone();
                    async move {
                        match event {
                            async_nats::Event::Connected => info!(queue = %url, "queue connected"),
                            async_nats::Event::Disconnected => {
                                warn!(queue = %url, "queue disconnected; reconnecting")
                            }
                            other => info!(queue = %url, event = %other, "queue event"),
                        }
                    }
                })
                .connect(url)
                .await
                .map_err(|e| unavailable(e.to_string()))?;
            let js = jetstream::new(client);
            let records = js
                .get_or_create_stream(stream::Config {
                    name: STREAM.into(),
                    subjects: vec![SUBJECT.into()],
                    retention: stream::RetentionPolicy::WorkQueue,
                    storage: stream::StorageType::File,
                    duplicate_window: options.duplicate_window,
                    ..Default::default()
                })
                .await
                .map_err(|e| unavailable(format!("cannot create the stream {STREAM}: {e}")))?;
            js.get_or_create_stream(stream::Config {
                name: DEAD_STREAM.into(),
                subjects: vec![DEAD_SUBJECT.into()],
                storage: stream::StorageType::File,
                ..Default::default()
            })
            .await
            .map_err(|e| unavailable(format!("cannot create the stream {DEAD_STREAM}: {e}")))?;
            let consumer = match options.consumer {
                ConsumerSetup::Leave => None,
                setup => Some(
                    worker_consumer(&records, &options, setup)
                        .await
                        .map_err(unavailable)?,
                ),
            };
            Ok::<_, QueueError>((js, records, consumer))
        })?;
        Ok(NatsQueue {
            runtime,
            js,
            records,
            consumer,
            url: shown,
            options,
            stored: Mutex::new(None),
        })
    }

    /// The URL without its password.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The options it was opened with.
    pub fn options(&self) -> &NatsOptions {
        &self.options
    }

    /// Puts raw bytes on the records' subject under the message id `id`,
    /// as a foreign or broken publisher would: the worker's handling of
    /// what is not a record is tested with it.
    pub fn publish_raw(&self, id: &str, bytes: Vec<u8>) -> Result<(), QueueError> {
        self.runtime.block_on(async {
            let message = jetstream::message::PublishMessage::build()
                .payload(Bytes::from(bytes))
                .message_id(id);
            self.js
                .send_publish(SUBJECT, message)
                .await
                .map_err(|e| self.unavailable(e))?
                .await
                .map_err(|e| self.unavailable(e))
                .map(drop)
        })
    }

    fn unavailable(&self, reason: impl std::fmt::Display) -> QueueError {
        QueueError::Unavailable {
            url: self.url.clone(),
            reason: reason.to_string(),
        }
    }

    fn message<'a>(&self, delivery: &'a Delivery) -> Option<&'a jetstream::Message> {
        match &delivery.handle {
            Handle::Nats(m) => Some(m),
            Handle::Mem(_) => None,
        }
    }
}

/// The consumer's ack wait and delivery limit as the server holds them.
fn settings_of(config: &consumer::Config) -> (Duration, u64) {
    (
        config.ack_wait,
        u64::try_from(config.max_deliver).unwrap_or(0),
    )
}

/// The workers' consumer: found, created with `options`' settings (or the
/// ones `setup` enforces), or changed to what `setup` enforces. Errors are
/// what the server said.
async fn worker_consumer(
    records: &stream::Stream,
    options: &NatsOptions,
    setup: ConsumerSetup,
) -> Result<consumer::PullConsumer, String> {
    let (force_wait, force_deliver) = match setup {
        ConsumerSetup::Enforce {
            ack_wait,
            max_deliver,
        } => (ack_wait, max_deliver.map(|m| m.max(1))),
        _ => (None, None),
    };
    let config =
        |ack_wait: Duration, max_deliver: u64, max_ack_pending: i64| consumer::pull::Config {
            durable_name: Some(CONSUMER.into()),
            ack_policy: consumer::AckPolicy::Explicit,
            ack_wait,
            max_deliver: i64::try_from(max_deliver.max(1)).unwrap_or(i64::MAX),
            max_ack_pending,
            ..Default::default()
        };
    let wanted = config(
        force_wait.unwrap_or(options.ack_wait),
        force_deliver.unwrap_or(options.max_deliver),
        i64::try_from(options.max_ack_pending.max(1)).unwrap_or(i64::MAX),
    );
    let mut found: consumer::PullConsumer = records
        .get_or_create_consumer(CONSUMER, wanted)
        .await
        .map_err(|e| format!("cannot create the consumer {CONSUMER}: {e}"))?;
    let info = found.info().await.map_err(|e| e.to_string())?;
    let held = settings_of(&info.config);
    let asked = (
        force_wait.unwrap_or(held.0),
        force_deliver.unwrap_or(held.1),
    );
    if held == asked {
        if held != (options.ack_wait, options.max_deliver.max(1)) {
            info!(
                ack_wait = ?held.0, max_deliver = held.1,
                "the queue's consumer exists and keeps its settings (--ack-wait or --max-deliver change them)"
            );
        }
        return Ok(found);
    }
    // Ack wait and delivery limit are settings the server lets a durable
    // consumer change in place: records in flight keep their deliveries.
    // Whatever else an operator set on it (max_ack_pending) stays.
    let changed: consumer::PullConsumer = records
        .create_consumer(config(asked.0, asked.1, info.config.max_ack_pending))
        .await
        .map_err(|e| format!("cannot change the settings of the consumer {CONSUMER}: {e}"))?;
    warn!(
        ack_wait = ?asked.0, max_deliver = asked.1,
        was_ack_wait = ?held.0, was_max_deliver = held.1,
        "changed the settings of the queue's consumer, for every worker"
    );
    Ok(changed)
}

/// A header value without the line breaks a header cannot hold, and short.
fn header_value(s: &str) -> String {
    let one_line: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    match one_line.char_indices().nth(1000) {
        Some((i, _)) => format!("{}…", &one_line[..i]),
        None => one_line,
    }
}

impl Queue for NatsQueue {
    fn publish(&self, records: &[Record]) -> Result<Vec<Published>, QueueError> {
        self.runtime.block_on(async {
            // Every record is sent before any acknowledgement is awaited:
            // one round trip per call, not per record.
            let mut pending = Vec::with_capacity(records.len());
            for record in records {
                let payload = Bytes::from(record.encode()?);
                let size = payload.len();
                let message = jetstream::message::PublishMessage::build()
                    .payload(payload)
                    .message_id(record.id().as_str());
                match self.js.send_publish(SUBJECT, message).await {
                    Ok(ack) => pending.push(Ok(ack)),
                    Err(e)
                        if e.kind() == jetstream::context::PublishErrorKind::MaxPayloadExceeded =>
                    {
                        pending.push(Err(format!(
                            "the record is {size} bytes, over the queue server's message limit \
                             (nats-server max_payload)"
                        )))
                    }
                    Err(e) => return Err(self.unavailable(e)),
                }
            }
            let mut out = Vec::with_capacity(pending.len());
            for p in pending {
                out.push(match p {
                    Ok(ack) => match ack.await {
                        Ok(ack) if ack.duplicate => Published::Duplicate,
                        Ok(_) => Published::Queued,
                        Err(e) => return Err(self.unavailable(e)),
                    },
                    Err(why) => Published::Refused(why),
                });
            }
            Ok(out)
        })
    }

    fn fetch(&self, max: usize, wait: Duration) -> Result<Vec<Delivery>, QueueError> {
        self.runtime.block_on(async {
            // The server wants an expiry it can keep: at least 100 ms.
            let Some(consumer) = &self.consumer else {
                return Err(QueueError::NotConsuming);
            };
            let mut batch = consumer
                .fetch()
                .max_messages(max.max(1))
                .expires(wait.max(Duration::from_millis(100)))
                .messages()
                .await
                .map_err(|e| self.unavailable(e))?;
            let mut out = Vec::new();
            while let Some(message) = batch.next().await {
                let message = message.map_err(|e| self.unavailable(e))?;
                let (deliveries, sequence) = match message.info() {
                    Ok(info) => (u64::try_from(info.delivered).unwrap_or(1), info.stream_sequence),
                    Err(e) => {
                        // Not a JetStream delivery: nothing to acknowledge.
                        warn!(error = %e, "the queue sent a message without delivery information; ignored");
                        continue;
                    }
                };
                let id = message
                    .headers
                    .as_ref()
                    .and_then(|h| h.get("Nats-Msg-Id"))
                    .map(|v| v.as_str().to_string())
                    .unwrap_or_default();
                out.push(Delivery {
                    record: Record::decode(&message.payload),
                    id,
                    deliveries,
                    sequence,
                    handle: Handle::Nats(Box::new(message)),
                });
            }
            Ok(out)
        })
    }

    fn ack(&self, delivery: &Delivery) -> Result<(), QueueError> {
        let Some(message) = self.message(delivery) else {
            return Ok(());
        };
        // A double ack waits for the server's word: a record counted as
        // done is one the server will not deliver again.
        self.runtime
            .block_on(message.double_ack())
            .map_err(|e| self.unavailable(e))
    }

    fn ack_all(&self, deliveries: &[&Delivery]) -> Result<(), QueueError> {
        let messages: Vec<&jetstream::Message> =
            deliveries.iter().filter_map(|d| self.message(d)).collect();
        self.runtime.block_on(async {
            // All acknowledgements in flight at once: one round trip.
            let acks = messages.iter().map(|m| m.double_ack());
            for result in futures_util::future::join_all(acks).await {
                result.map_err(|e| self.unavailable(e))?;
            }
            Ok(())
        })
    }

    fn in_progress(&self, delivery: &Delivery) -> Result<(), QueueError> {
        let Some(message) = self.message(delivery) else {
            return Ok(());
        };
        self.runtime
            .block_on(message.ack_with(AckKind::Progress))
            .map_err(|e| self.unavailable(e))
    }

    fn dead_letter(&self, delivery: &Delivery, reason: &str) -> Result<(), QueueError> {
        let Some(message) = self.message(delivery) else {
            return Ok(());
        };
        self.runtime.block_on(async {
            let mut headers = async_nats::HeaderMap::new();
            headers.insert(REASON_HEADER, header_value(reason).as_str());
            headers.insert(DELIVERIES_HEADER, delivery.deliveries.to_string().as_str());
            let mut copy = jetstream::message::PublishMessage::build()
                .payload(message.payload.clone())
                .headers(headers);
            if !delivery.id.is_empty() {
                copy = copy.message_id(&delivery.id);
            }
            // The copy is kept before the original is let go: a crash in
            // between delivers the original again, and the copy's id keeps
            // the second copy out.
            self.js
                .send_publish(DEAD_SUBJECT, copy)
                .await
                .map_err(|e| self.unavailable(e))?
                .await
                .map_err(|e| self.unavailable(e))?;
            message.double_ack().await.map_err(|e| self.unavailable(e))
        })
    }

    fn status(&self) -> Result<QueueStatus, QueueError> {
        self.runtime.block_on(async {
            // Asked afresh: a worker may have created the consumer since
            // this connection was opened.
            let (waiting, in_flight, settings, consumer) =
                match self.records.consumer_info(CONSUMER).await {
                    Ok(info) => (
                        info.num_pending,
                        info.num_ack_pending as u64,
                        settings_of(&info.config),
                        true,
                    ),
                    Err(e) if matches!(e.kind(), ConsumerInfoErrorKind::NotFound) => {
                        // No worker has connected yet: every record waits.
                        let mut records = self.records.clone();
                        let info = records.info().await.map_err(|e| self.unavailable(e))?;
                        (info.state.messages, 0, (Duration::ZERO, 0), false)
                    }
                    Err(e) => return Err(self.unavailable(e)),
                };
            let mut dead = self
                .js
                .get_stream(DEAD_STREAM)
                .await
                .map_err(|e| self.unavailable(e))?;
            let dead_letters = dead
                .info()
                .await
                .map_err(|e| self.unavailable(e))?
                .state
                .messages;
            Ok(QueueStatus {
                waiting,
                in_flight,
                dead_letters,
                max_deliver: settings.1,
                ack_wait: settings.0,
                consumer,
            })
        })
    }

    fn settled_before(&self, sequence: u64) -> Result<bool, QueueError> {
        self.runtime.block_on(async {
            // The ack floor is the last stream sequence up to which every
            // record is acknowledged (dead letters are acknowledged too).
            let info = self
                .records
                .consumer_info(CONSUMER)
                .await
                .map_err(|e| self.unavailable(e))?;
            Ok(info.ack_floor.stream_sequence.saturating_add(1) >= sequence)
        })
    }

    fn dead_letters(&self, limit: usize) -> Result<Vec<DeadLetter>, QueueError> {
        self.runtime.block_on(async {
            let mut dead = self
                .js
                .get_stream(DEAD_STREAM)
                .await
                .map_err(|e| self.unavailable(e))?;
            let state = dead
                .info()
                .await
                .map_err(|e| self.unavailable(e))?
                .state
                .clone();
            let mut out = Vec::new();
            let mut seq = state.first_sequence;
            while seq <= state.last_sequence && out.len() < limit && state.messages > 0 {
                match dead.get_raw_message(seq).await {
                    Ok(m) => {
                        let header = |name: &str| {
                            m.headers
                                .get(name)
                                .map(|v| v.as_str().to_string())
                                .unwrap_or_default()
                        };
                        out.push(DeadLetter {
                            id: header("Nats-Msg-Id"),
                            reason: header(REASON_HEADER),
                            deliveries: header(DELIVERIES_HEADER).parse().unwrap_or(0),
                        });
                    }
                    // A deleted message leaves a gap in the sequence.
                    Err(e) if e.kind() == stream::RawMessageErrorKind::NoMessageFound => {}
                    Err(e) => return Err(self.unavailable(e)),
                }
                seq += 1;
            }
            Ok(out)
        })
    }

    fn announce_stored(&self) -> Result<(), QueueError> {
        self.runtime.block_on(async {
            let client = self.js.client();
            client
                .publish(STORED_SUBJECT, Bytes::new())
                .await
                .map_err(|e| self.unavailable(e))?;
            // Sent now, not when the client's buffer next fills.
            client.flush().await.map_err(|e| self.unavailable(e))
        })
    }

    fn listen_stored(&self) -> Result<(), QueueError> {
        let mut slot = self.stored.lock().unwrap_or_else(|p| p.into_inner());
        if slot.is_none() {
            let subscriber = self
                .runtime
                .block_on(async {
                    let client = self.js.client();
                    let subscriber = client.subscribe(STORED_SUBJECT).await?;
                    // The server knows of the subscription before the
                    // caller's first look, so no word sent after it is lost.
                    client.flush().await?;
                    Ok::<_, async_nats::Error>(subscriber)
                })
                .map_err(|e| self.unavailable(e))?;
            *slot = Some(subscriber);
        }
        Ok(())
    }

    fn wait_stored(&self, wait: Duration) -> bool {
        let mut slot = self.stored.lock().unwrap_or_else(|p| p.into_inner());
        let Some(subscriber) = slot.as_mut() else {
            drop(slot);
            std::thread::sleep(wait);
            return false;
        };
        let started = std::time::Instant::now();
        let heard = self.runtime.block_on(async {
            match tokio::time::timeout(wait, subscriber.next()).await {
                Ok(Some(_)) => {
                    // Words that came meanwhile are the same news.
                    while let Some(Some(_)) = subscriber.next().now_or_never() {}
                    Some(true)
                }
                Err(_) => Some(false),
                // The subscription ended (the client closed for good).
                Ok(None) => None,
            }
        });
        heard.unwrap_or_else(|| {
            *slot = None;
            drop(slot);
            std::thread::sleep(wait.saturating_sub(started.elapsed()));
            false
        })
    }
}

#[cfg(test)]
mod tests;
