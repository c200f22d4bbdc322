//! The cluster catalogue as a Markdown table: every cluster, its attributes
//! and its commands in each direction (`smets clusters`; the README carries
//! the same table, and a test keeps the two equal).

use core::fmt::Write as _;

use smets_zigbee::zcl::cluster::{CLUSTERS, Command};

fn commands(list: &[Command]) -> String {
    if list.is_empty() {
        return "—".to_owned();
    }
    let mut s = String::new();
    for (i, c) in list.iter().enumerate() {
        if i > 0 {
            s.push_str(", ");
        }
        let _ = write!(s, "0x{:02x} {}", c.id, c.name);
    }
    s
}

/// The Markdown table of the catalogue.
#[must_use]
pub fn markdown() -> String {
    let mut s = String::from(
        "| cluster | name | clause | attributes (server/client) | client → server | server → client |\n\
         | --- | --- | --- | --- | --- | --- |\n",
    );
    for c in CLUSTERS {
        let count = |list: &[smets_zigbee::zcl::cluster::Attribute]| -> u32 {
            list.iter().map(|a| u32::from(a.count)).sum()
        };
        let _ = writeln!(
            s,
            "| 0x{:04x} | {} | {} | {}/{} | {} | {} |",
            c.id,
            c.name,
            c.clause,
            count(c.attributes),
            count(c.client_attributes),
            commands(c.received),
            commands(c.generated),
        );
    }
    s
}
