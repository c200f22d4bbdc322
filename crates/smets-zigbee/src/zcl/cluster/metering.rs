//! Metering 0x0702 in the catalogue (ZigBee SE 1.4 10.4).

use super::Cluster;

/// The Metering cluster.
pub static CLUSTER: Cluster = Cluster {
    id: 0x0702,
    name: "Metering",
    label: "metering",
    clause: "ZigBee SE 1.4 10.4",
    attributes: &[],
    client_attributes: &[],
    received: &[],
    generated: &[],
};
