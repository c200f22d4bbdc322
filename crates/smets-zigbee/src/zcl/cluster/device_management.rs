//! Device Management 0x0708 in the catalogue (ZigBee SE 1.4 10.10).

use super::Cluster;

/// The Device Management cluster.
pub static CLUSTER: Cluster = Cluster {
    id: 0x0708,
    name: "Device Management",
    label: "device_management",
    clause: "ZigBee SE 1.4 10.10",
    attributes: &[],
    client_attributes: &[],
    received: &[],
    generated: &[],
};
