//! Demand Response and Load Control 0x0701 in the catalogue (ZigBee SE 1.4 10.3).

use super::Cluster;

/// The Demand Response and Load Control cluster.
pub static CLUSTER: Cluster = Cluster {
    id: 0x0701,
    name: "Demand Response and Load Control",
    label: "drlc",
    clause: "ZigBee SE 1.4 10.3",
    attributes: &[],
    client_attributes: &[],
    received: &[],
    generated: &[],
};
