//! Prepayment 0x0705 in the catalogue (ZigBee SE 1.4 10.7).

use super::Cluster;

/// The Prepayment cluster.
pub static CLUSTER: Cluster = Cluster {
    id: 0x0705,
    name: "Prepayment",
    label: "prepayment",
    clause: "ZigBee SE 1.4 10.7",
    attributes: &[],
    client_attributes: &[],
    received: &[],
    generated: &[],
};
