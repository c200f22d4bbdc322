//! Time 0x000a in the catalogue (ZCL rev. 8 3.12).

use super::Cluster;

/// The Time cluster.
pub static CLUSTER: Cluster = Cluster {
    id: 0x000a,
    name: "Time",
    label: "time",
    clause: "ZCL rev. 8 3.12",
    attributes: &[],
    client_attributes: &[],
    received: &[],
    generated: &[],
};
