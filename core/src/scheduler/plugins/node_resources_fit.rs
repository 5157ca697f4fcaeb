//! NodeResourcesFit: requests must fit in what the node has left (`Insufficient cpu`, `Too
//! many pods`); scoring prefers the least allocated node (LeastAllocated, cpu and memory with
//! weight 1 each), and NodeResourcesBalancedAllocation prefers nodes whose cpu and memory
//! fractions stay close.

#![cfg_attr(not(test), deny(clippy::arithmetic_side_effects))]

use k8s_openapi::api::core::v1::Pod;

use crate::scheduler::framework::{NodeInfo, Rejection, pod_requests};

pub fn filter(pod: &Pod, node: &NodeInfo<'_>) -> Result<(), Rejection> {
    let mut reasons = Vec::new();
    let placed = node.pod_count;
    if placed.saturating_add(1) > node.allocatable.pods {
        reasons.push("Too many pods".to_string());
    }
    let req = pod_requests(pod, false);
    let (alloc, used) = (node.allocatable, node.requested);
    // What is left, without wrapping: a saturated request never fits (see Resources::add).
    let left = |have: i64, taken: i64| have.saturating_sub(taken);
    if req.milli_cpu > 0 && req.milli_cpu > left(alloc.milli_cpu, used.milli_cpu) {
        reasons.push("Insufficient cpu".into());
    }
    if req.memory > 0 && req.memory > left(alloc.memory, used.memory) {
        reasons.push("Insufficient memory".into());
    }
    if req.ephemeral_storage > 0 && req.ephemeral_storage > left(alloc.ephemeral_storage, used.ephemeral_storage) {
        reasons.push("Insufficient ephemeral-storage".into());
    }
    for (name, amount) in &req.scalar {
        let have = left(
            alloc.scalar.get(name).copied().unwrap_or(0),
            used.scalar.get(name).copied().unwrap_or(0),
        );
        if *amount > have {
            reasons.push(format!("Insufficient {name}"));
        }
    }
    if reasons.is_empty() {
        Ok(())
    } else {
        Err(Rejection::unschedulable(reasons))
    }
}

fn fractions(pod: &Pod, node: &NodeInfo<'_>) -> (i64, i64, i64, i64) {
    let req = pod_requests(pod, true);
    let cpu = node.non_zero_requested.milli_cpu.saturating_add(req.milli_cpu);
    let mem = node.non_zero_requested.memory.saturating_add(req.memory);
    (cpu, node.allocatable.milli_cpu, mem, node.allocatable.memory)
}

/// `(capacity - requested) * 100 / capacity`, averaged over cpu and memory.
pub fn least_allocated(pod: &Pod, node: &NodeInfo<'_>) -> i64 {
    let (cpu, cpu_cap, mem, mem_cap) = fractions(pod, node);
    let one = |req: i64, cap: i64| -> i64 {
        if cap <= 0 || req > cap {
            0
        } else {
            // In i128: `(cap - req) * 100` overflows i64 for capacities past 92 peta-units.
            let left = i128::from(cap).saturating_sub(i128::from(req));
            let score = left.saturating_mul(100).checked_div(i128::from(cap)).unwrap_or(0);
            i64::try_from(score).unwrap_or(0)
        }
    };
    one(cpu, cpu_cap).saturating_add(one(mem, mem_cap)) / 2
}

/// `(1 - |cpuFraction - memFraction| / 2) * 100` for two resources.
pub fn balanced_allocation(pod: &Pod, node: &NodeInfo<'_>) -> i64 {
    let (cpu, cpu_cap, mem, mem_cap) = fractions(pod, node);
    let frac = |req: i64, cap: i64| {
        if cap <= 0 {
            1.0
        } else {
            (req as f64 / cap as f64).min(1.0)
        }
    };
    let std = (frac(cpu, cpu_cap) - frac(mem, mem_cap)).abs() / 2.0;
    crate::num::i64_of_f64((1.0 - std) * 100.0)
}
