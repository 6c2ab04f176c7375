//! The reproducer file: one finding, readable by a person and replayable by `h2probe replay`.
//!
//! JSON (pretty, `version: 1`): which oracle fired and its signature, what was expected and
//! what came back, the RFC sentence where one applies, where the input came from (seed,
//! shard, index, origin), how far it was minimised, the frames in the frames DSL's
//! vocabulary with their octets in hex, the transport's cut points, all octets in one hex
//! string, and the transcript of the connection that confirmed it. A file is named after
//! its signature (`spec-3f0c….json`), so a finding found twice — by two shards, or by two
//! campaigns — is one file, and findings directories merge by copying.

use super::input::{Input, InputFile};
use super::oracle::Oracle;
use super::rng::fnv64;
use crate::model::Citation;
use h2probe_codec::frame::hex;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The file format version this build writes and reads.
pub const VERSION: u32 = 1;

/// Why a reproducer file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ReproducerError {
    /// It could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// It is not a reproducer.
    #[error("{path}: not an h2probe reproducer: {why}")]
    Format {
        /// The file.
        path: String,
        /// What is wrong.
        why: String,
    },
    /// A version this build does not know.
    #[error("{path}: reproducer version {version}; this h2probe reads version {VERSION}")]
    Version {
        /// The file.
        path: String,
        /// Its version.
        version: u32,
    },
}

/// Where the input came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Provenance {
    /// `--seed`.
    pub seed: u64,
    /// `--shard`, `K/N`.
    pub shard: String,
    /// The input's global index (`i * N + K`).
    pub index: u64,
    /// The seed case it grew from and the mutations applied, or `generated`.
    pub origin: String,
}

/// How the input was minimised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Minimisation {
    /// Frames before.
    pub from_frames: usize,
    /// Octets before.
    pub from_octets: usize,
    /// Re-runs spent.
    pub checks: usize,
    /// False when the budget ran out first (the input is still a reproducer, only longer).
    pub complete: bool,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reproducer {
    /// [`VERSION`].
    pub version: u32,
    /// The h2probe that wrote it.
    pub tool: String,
    /// Which oracle fired.
    pub oracle: Oracle,
    /// What tells this finding from others of its oracle; the file is named after it.
    pub signature: String,
    /// One line for a person.
    pub summary: String,
    /// What the RFC (or a working server) requires, when the oracle knows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    /// What the server did.
    pub observed: String,
    /// The sentence that was broken (spec and server-output findings).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<Citation>,
    /// The oracle's key: the spec rule id (`frame/stream-id-non-zero/PING`), the passive
    /// check id, or the resource measured. Replay checks that the same key fires.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub key: String,
    /// The reaction the signature holds (spec findings), or each server's reaction class
    /// (differential findings: `name` → class).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub reactions: BTreeMap<String, String>,
    /// The target it was found on.
    pub target: String,
    /// Where the input came from.
    pub provenance: Provenance,
    /// How far it was minimised.
    pub minimised: Minimisation,
    /// The frames and the transport's cut points.
    pub input: InputFile,
    /// Every octet sent after the handshake, in hex.
    pub octets: String,
    /// The transcript of the connection that confirmed the finding.
    #[serde(default)]
    pub transcript: Vec<String>,
}

impl Reproducer {
    /// A reproducer for `input`; the caller fills in the rest.
    pub fn new(oracle: Oracle, signature: String, input: &Input) -> Reproducer {
        Reproducer {
            version: VERSION,
            tool: format!("h2probe {}", env!("CARGO_PKG_VERSION")),
            oracle,
            signature,
            summary: String::new(),
            expected: None,
            observed: String::new(),
            rule: None,
            key: String::new(),
            reactions: BTreeMap::new(),
            target: String::new(),
            provenance: Provenance::default(),
            minimised: Minimisation::default(),
            input: input.to_file(),
            octets: hex(&input.octets()),
            transcript: Vec::new(),
        }
    }

    /// The input to send.
    pub fn to_input(&self) -> Result<Input, String> {
        Input::from_file(&self.input)
    }

    /// The file name for a signature: `<oracle>-<16 hex digits of FNV-1a>.json`.
    pub fn file_name(oracle: Oracle, signature: &str) -> String {
        format!("{}-{:016x}.json", oracle.name(), fnv64(signature.as_bytes()))
    }

    /// Writes it into `dir` under its signature's name; returns the path.
    pub fn save(&self, dir: &Path) -> Result<PathBuf, ReproducerError> {
        let path = dir.join(Self::file_name(self.oracle, &self.signature));
        let io = |source| ReproducerError::Io { path: path.display().to_string(), source };
        std::fs::create_dir_all(dir).map_err(io)?;
        let json = serde_json::to_string_pretty(self).map_err(|e| ReproducerError::Format {
            path: path.display().to_string(),
            why: e.to_string(),
        })?;
        // Written whole, then renamed: a reader (or a merging shard) never sees half a file.
        let tmp = path.with_extension("json.tmp");
        std::fs::write(&tmp, json + "\n").map_err(io)?;
        std::fs::rename(&tmp, &path).map_err(io)?;
        Ok(path)
    }

    /// Reads one file.
    pub fn load(path: &Path) -> Result<Reproducer, ReproducerError> {
        let p = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| ReproducerError::Io { path: p.clone(), source })?;
        let value: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| ReproducerError::Format { path: p.clone(), why: e.to_string() })?;
        match value.get("version").and_then(|v| v.as_u64()) {
            Some(v) if v == u64::from(VERSION) => {}
            Some(v) => return Err(ReproducerError::Version { path: p, version: v.min(u64::from(u32::MAX)) as u32 }),
            None => return Err(ReproducerError::Format { path: p, why: "no \"version\"".into() }),
        }
        let r: Reproducer = serde_json::from_value(value).map_err(|e| ReproducerError::Format { path: p.clone(), why: e.to_string() })?;
        r.to_input().map_err(|why| ReproducerError::Format { path: p, why })?;
        Ok(r)
    }

    /// The signatures of every reproducer in `dir` (a campaign does not report a finding
    /// its directory already holds, from an earlier run or another shard).
    pub fn signatures_in(dir: &Path) -> Vec<(Oracle, String, Input)> {
        let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
        let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "json")).collect();
        paths.sort();
        paths
            .iter()
            .filter_map(|p| Reproducer::load(p).ok())
            .map(|r| {
                let input = r.to_input().unwrap_or_default();
                (r.oracle, r.signature, input)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fuzz::input::Unit;
    use h2probe_codec::{frames, FrameType};

    #[test]
    fn a_reproducer_is_saved_under_its_signature_and_loads_back() {
        let dir = std::env::temp_dir().join(format!("h2probe-repro-{}", std::process::id()));
        let input = Input::new(vec![Unit::Raw(frames::raw(FrameType::PING).stream(1).payload([0; 8]).build())]);
        let mut r = Reproducer::new(Oracle::Spec, "spec/frame/stream-id-non-zero/PING/answered".into(), &input);
        r.summary = "a PING on stream 1 was answered".into();
        let path = r.save(&dir).expect("saved");
        assert!(path.file_name().is_some_and(|n| n.to_string_lossy().starts_with("spec-")));
        let back = Reproducer::load(&path).expect("loads");
        assert_eq!(back, r);
        assert_eq!(back.to_input().expect("input").octets(), input.octets());
        assert_eq!(Reproducer::signatures_in(&dir).len(), 1);
        let mut v2 = serde_json::to_value(&r).expect("json");
        v2["version"] = 2.into();
        std::fs::write(&path, v2.to_string()).expect("write");
        assert!(matches!(Reproducer::load(&path), Err(ReproducerError::Version { version: 2, .. })));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
