//! Calendar 0x0707 in the catalogue (ZigBee SE 1.4 10.9).

use super::Cluster;

/// The Calendar cluster.
pub static CLUSTER: Cluster = Cluster {
    id: 0x0707,
    name: "Calendar",
    label: "calendar",
    clause: "ZigBee SE 1.4 10.9",
    attributes: &[],
    client_attributes: &[],
    received: &[],
    generated: &[],
};
