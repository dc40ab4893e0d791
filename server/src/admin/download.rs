//! Streams an archive into an HTTP body: the ZIP is written on a blocking
//! thread into a bounded channel of 64 KiB chunks, which the response body
//! drains. Memory stays at a few chunks whatever the history's size; a
//! client that goes away stops the writer (its next send fails); a failure
//! mid-way ends the body with an error, so the client never takes a
//! truncated archive for a whole one.

use bytes::Bytes;
use std::io::{self, Write};
use tokio::sync::mpsc;

/// Bytes per chunk sent to the body.
pub const CHUNK: usize = 64 * 1024;
/// Chunks in flight between the writer and the body.
pub const DEPTH: usize = 4;

/// One item of the body stream.
pub type Item = Result<Bytes, io::Error>;

/// A [`Write`]r that sends what it is given, in [`CHUNK`]s, to a channel.
/// Only for blocking threads (it waits for room in the channel).
#[derive(Debug)]
pub struct ChannelWriter {
    tx: mpsc::Sender<Item>,
    buf: Vec<u8>,
}

impl ChannelWriter {
    /// A writer and the receiving end for the body.
    pub fn new() -> (ChannelWriter, mpsc::Receiver<Item>) {
        let (tx, rx) = mpsc::channel(DEPTH);
        (
            ChannelWriter {
                tx,
                buf: Vec::with_capacity(CHUNK),
            },
            rx,
        )
    }

    fn send(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK)));
        self.tx
            .blocking_send(Ok(chunk))
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the client went away"))
    }

    /// A handle that can end the body with an error once the writer has
    /// been handed to (and lost inside) a failed export.
    pub fn aborter(&self) -> Aborter {
        Aborter {
            tx: self.tx.clone(),
        }
    }
}

/// Ends a body with an error (see [`ChannelWriter::aborter`]).
#[derive(Debug)]
pub struct Aborter {
    tx: mpsc::Sender<Item>,
}

impl Aborter {
    /// Sends the error; the client sees the response fail, not end.
    pub fn fail(self, why: &str) {
        let _ = self
            .tx
            .blocking_send(Err(io::Error::other(why.to_string())));
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= CHUNK {
            self.send()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.send()
    }
}

/// The response body draining `rx`.
pub fn body(rx: mpsc::Receiver<Item>) -> axum::body::Body {
    axum::body::Body::from_stream(futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn chunks_arrive_in_order_and_a_gone_client_stops_the_writer() {
        let (mut w, mut rx) = ChannelWriter::new();
        let writer = tokio::task::spawn_blocking(move || {
            for i in 0..(CHUNK * 3 / 1000) {
                w.write_all(&[(i % 251) as u8; 1000])?;
            }
            w.flush()
        });
        let mut got = Vec::new();
        while let Some(item) = rx.recv().await {
            let chunk = item.unwrap();
            assert!(chunk.len() <= CHUNK + 1000);
            got.extend_from_slice(&chunk);
        }
        writer.await.unwrap().unwrap();
        assert_eq!(got.len(), (CHUNK * 3 / 1000) * 1000);
        assert_eq!(got[1000], 1);

        let (mut w, rx) = ChannelWriter::new();
        drop(rx);
        let err = tokio::task::spawn_blocking(move || w.write_all(&vec![0; CHUNK]))
            .await
            .unwrap()
            .unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::BrokenPipe);
    }
}
