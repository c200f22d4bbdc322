//! Messaging 0x0703 in the catalogue (ZigBee SE 1.4 10.5).

use super::Cluster;

/// The Messaging cluster.
pub static CLUSTER: Cluster = Cluster {
    id: 0x0703,
    name: "Messaging",
    label: "messaging",
    clause: "ZigBee SE 1.4 10.5",
    attributes: &[],
    client_attributes: &[],
    received: &[],
    generated: &[],
};
