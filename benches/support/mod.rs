//! What the benchmarks share: where their databases go, and how they read criterion's report.

use std::path::{Path, PathBuf};

/// Where benchmark databases go: in memory when the machine has `/dev/shm`, so that disk
/// latency does not blur what the benchmarks compare.
pub fn database_dir() -> PathBuf {
    let shared_memory = Path::new("/dev/shm");
    if shared_memory.is_dir() { shared_memory.to_owned() } else { std::env::temp_dir() }
}

/// The time of one benchmark as criterion prints it (the slope of its linear sampling, else the
/// mean), from its report of this run; `id` is `group/function`.
pub fn typical_nanoseconds(id: &str) -> Option<f64> {
    let text = std::fs::read_to_string(format!("target/criterion/{id}/new/estimates.json")).ok()?;
    let estimates: serde_json::Value = serde_json::from_str(&text).ok()?;
    estimates["slope"]["point_estimate"].as_f64().or_else(|| estimates["mean"]["point_estimate"].as_f64())
}
