//! [`MapRecord`]: a plain map for native tests and tools.

use alloc::{borrow::ToOwned, string::String, vec::Vec};

use super::{Record, RecordMut, Val};

/// A plain map implementing [`Record`] and [`RecordMut`], for native tests and
/// tools. Opaque values are strings.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MapRecord(pub Vec<(String, Val<String>)>);

impl MapRecord {
    /// Sets `key` to `v`, replacing any earlier value.
    pub fn set(&mut self, key: &str, v: Val<String>) {
        self.0.retain(|(k, _)| k != key);
        self.0.push((key.to_owned(), v));
    }
}

impl Record for MapRecord {
    type Any = String;
    fn get(&self, key: &str) -> Val<String> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .unwrap_or(Val::Missing)
    }
    fn keys(&self) -> impl Iterator<Item = impl AsRef<str>> {
        self.0.iter().map(|(k, _)| k.as_str())
    }
}

impl RecordMut for MapRecord {
    type Any = String;
    fn set_str(&mut self, key: &str, value: &str) {
        self.set(key, Val::Str(value.to_owned()));
    }
    fn set_num(&mut self, key: &str, value: f64) {
        self.set(key, Val::Num(value));
    }
    fn set_bool(&mut self, key: &str, value: bool) {
        self.set(key, Val::Bool(value));
    }
    fn set_any(&mut self, key: &str, value: &String) {
        self.set(key, Val::Other(value.clone()));
    }
}

#[cfg(test)]
impl MapRecord {
    /// A record of these pairs, in order (the unit tests' records).
    pub fn of(pairs: &[(&str, Val<String>)]) -> Self {
        MapRecord(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect(),
        )
    }
}
