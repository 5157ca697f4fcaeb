//! Cluster networking: address management for pods and Services.

pub mod ipam;
pub mod kube_proxy;
