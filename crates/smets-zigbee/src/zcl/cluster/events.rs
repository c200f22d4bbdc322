//! Events 0x0709 in the catalogue (ZigBee SE 1.4 10.11).

use super::Cluster;

/// The Events cluster.
pub static CLUSTER: Cluster = Cluster {
    id: 0x0709,
    name: "Events",
    label: "events",
    clause: "ZigBee SE 1.4 10.11",
    attributes: &[],
    client_attributes: &[],
    received: &[],
    generated: &[],
};
