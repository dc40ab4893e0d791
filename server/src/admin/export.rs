//! The comments archive of `requestUserCommentsDownload`, in Coral's export
//! format (Coral: `services/users/download/download.ts`):
//!
//! * a ZIP named `coral-<kebab username>-<kebab date>.zip`,
//! * holding one file, `comments-export/my_comments.csv`,
//! * whose header row is `Comment ID, Published Timestamp, Article URL,
//!   Comment URL, Comment Text, Media`, then one row per comment, oldest
//!   first, written before the link was requested.
//!
//! Dates are Coral's default `en-US` format (`7/7/2026, 09:05:03`) in UTC,
//! with midnight as `00` (Coral's `Intl` formatter prints `24`). A comment
//! whose story has only a `storyID` keeps its row with empty URLs (Coral
//! skips rows whose story it cannot load; a data export should lose
//! nothing). `Media` is always empty: comments here are text.
//!
//! The archive is written page by page into any [`Write`]r through the
//! `zip` crate's streaming writer (data descriptors, no seeking), so memory
//! stays flat however long the history is. The archive is a plain ZIP (no
//! ZIP64), like Coral's, so its CSV may reach 4 GiB.

use std::io::Write;
use time::OffsetDateTime;

/// The one file inside the archive.
pub const ENTRY_NAME: &str = "comments-export/my_comments.csv";

/// The CSV header row, as Coral writes it.
pub const HEADER: [&str; 6] = [
    "Comment ID",
    "Published Timestamp",
    "Article URL",
    "Comment URL",
    "Comment Text",
    "Media",
];

/// Comments fetched per page while writing.
pub const PAGE: u32 = 500;

pub use crate::store::ExportRow;

/// Why writing the archive stopped.
#[derive(Debug)]
pub enum ExportError<E> {
    /// Fetching a page failed.
    Source(E),
    /// The ZIP or CSV writer failed (e.g. the client went away).
    Write(std::io::Error),
}

impl<E> From<std::io::Error> for ExportError<E> {
    fn from(e: std::io::Error) -> Self {
        ExportError::Write(e)
    }
}

impl<E> From<zip::result::ZipError> for ExportError<E> {
    fn from(e: zip::result::ZipError) -> Self {
        ExportError::Write(std::io::Error::other(e))
    }
}

impl<E> From<csv::Error> for ExportError<E> {
    fn from(e: csv::Error) -> Self {
        ExportError::Write(std::io::Error::other(e))
    }
}

fn utc(unix: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(unix).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// Coral's timestamp format: `M/D/YYYY, HH:MM:SS` (UTC).
pub fn coral_timestamp(unix: i64) -> String {
    let t = utc(unix);
    format!(
        "{}/{}/{}, {:02}:{:02}:{:02}",
        u8::from(t.month()),
        t.day(),
        t.year(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// lodash's `kebabCase` for what we feed it: words are runs of letters and
/// digits (a lower-to-upper change starts a word), lowercased, joined by `-`.
/// Only ASCII survives, so the result is safe in a header.
pub fn kebab(s: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            if c.is_ascii_uppercase() && prev_lower && !cur.is_empty() {
                words.push(std::mem::take(&mut cur));
            }
            prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
            cur.push(c.to_ascii_lowercase());
        } else {
            prev_lower = false;
            if !cur.is_empty() {
                words.push(std::mem::take(&mut cur));
            }
        }
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    words.join("-")
}

/// `coral-<username>-<date>.zip` (a username with no ASCII letters or
/// digits becomes `user`).
pub fn archive_file_name(username: &str, at: i64) -> String {
    let name = kebab(username);
    let name = if name.is_empty() { "user".into() } else { name };
    format!("coral-{name}-{}.zip", kebab(&coral_timestamp(at)))
}

/// The story URL with `commentID=<id>` in its query (replacing any), as
/// Coral's `getURLWithCommentID`; empty when the URL does not parse.
pub fn comment_url(story_url: &str, id: i64) -> String {
    let Ok(mut url) = url::Url::parse(story_url) else {
        return String::new();
    };
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| k != "commentID")
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    url.query_pairs_mut()
        .clear()
        .extend_pairs(kept)
        .append_pair("commentID", &id.to_string());
    url.to_string()
}

fn zip_time(unix: i64) -> zip::DateTime {
    let t = utc(unix);
    zip::DateTime::from_date_and_time(
        t.year().clamp(1980, 2107) as u16,
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
    )
    .unwrap_or_default()
}

/// Writes the whole archive into `out`, asking `next_page(after_id)` for
/// the next [`PAGE`] rows until it returns none. Returns `out`.
pub fn write_archive<W, E, F>(out: W, now: i64, mut next_page: F) -> Result<W, ExportError<E>>
where
    W: Write,
    F: FnMut(i64) -> Result<Vec<ExportRow>, E>,
{
    let mut zip = zip::ZipWriter::new_stream(out);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip_time(now));
    zip.start_file(ENTRY_NAME, options)?;
    {
        let mut csv = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(&mut zip);
        csv.write_record(HEADER)?;
        let mut after = 0;
        loop {
            let rows = next_page(after).map_err(ExportError::Source)?;
            let Some(last) = rows.last() else { break };
            after = last.id;
            for r in &rows {
                let url = r.story_url.as_deref().unwrap_or("");
                let comment = if url.is_empty() {
                    String::new()
                } else {
                    comment_url(url, r.id)
                };
                csv.write_record([
                    r.id.to_string().as_str(),
                    &coral_timestamp(r.created_at),
                    url,
                    &comment,
                    &r.body,
                    "",
                ])?;
            }
        }
        csv.flush()?;
    }
    Ok(zip.finish()?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_dates_follow_coral() {
        // 2026-07-07T09:05:03Z and a midnight.
        assert_eq!(coral_timestamp(1_783_415_103), "7/7/2026, 09:05:03");
        assert_eq!(coral_timestamp(1_798_675_207), "12/31/2026, 00:00:07");
        assert_eq!(kebab("Bob Smith"), "bob-smith");
        assert_eq!(kebab("bobSmith_42"), "bob-smith-42");
        assert_eq!(
            archive_file_name("Bob Smith", 1_783_415_103),
            "coral-bob-smith-7-7-2026-09-05-03.zip"
        );
        assert_eq!(
            archive_file_name("Ünïcode ☃", 0),
            "coral-n-code-1-1-1970-00-00-00.zip"
        );
        assert_eq!(
            archive_file_name("☃", 0),
            "coral-user-1-1-1970-00-00-00.zip"
        );
        assert_eq!(
            comment_url("https://news.example/a?x=1&commentID=9#top", 5),
            "https://news.example/a?x=1&commentID=5#top"
        );
        assert_eq!(comment_url("not a url", 5), "");
    }

    #[test]
    fn archive_unzips_to_coral_csv_across_pages() {
        let total = (PAGE as i64) * 2 + 7;
        let mut calls = 0;
        let bytes = write_archive(Vec::new(), 1_783_415_103, |after| {
            calls += 1;
            let rows: Vec<ExportRow> = (after + 1..=total)
                .take(PAGE as usize)
                .map(|id| ExportRow {
                    id,
                    created_at: 1_783_415_000 + id,
                    story_url: (id % 2 == 0).then(|| "https://news.example/a?x=1".to_string()),
                    body: format!("line \"{id}\", with, commas\nand a newline"),
                })
                .collect();
            Ok::<_, ()>(rows)
        })
        .unwrap();
        assert_eq!(calls, 4, "three pages and the empty one");
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        assert_eq!(zip.len(), 1);
        let file = zip.by_name(ENTRY_NAME).unwrap();
        let mut csv = csv::Reader::from_reader(file);
        assert_eq!(csv.headers().unwrap().iter().collect::<Vec<_>>(), HEADER);
        let rows: Vec<csv::StringRecord> = csv.records().map(Result::unwrap).collect();
        assert_eq!(rows.len() as i64, total);
        assert_eq!(&rows[0][0], "1");
        assert_eq!(&rows[0][2], "");
        assert_eq!(&rows[0][4], "line \"1\", with, commas\nand a newline");
        assert_eq!(&rows[1][1], "7/7/2026, 09:03:22");
        assert_eq!(&rows[1][2], "https://news.example/a?x=1");
        assert_eq!(&rows[1][3], "https://news.example/a?x=1&commentID=2");
        assert_eq!(&rows[1][5], "");
    }

    #[test]
    fn a_failing_page_stops_the_archive() {
        let r = write_archive(Vec::new(), 0, |_| Err::<Vec<ExportRow>, _>("db down"));
        assert!(matches!(r, Err(ExportError::Source("db down"))));
    }
}
