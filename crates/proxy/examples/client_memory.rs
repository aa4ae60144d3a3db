//! The memory of the per-client structures after 1,000,000 distinct client addresses: the
//! access gate's request limiter (`sites::Access`) and the budget's per-client share
//! (`upstream::Budget`), each fed one request per address, as a crowd (or a script rotating
//! addresses) would. The figure is the growth of the process's resident memory (`VmRSS`), the
//! structures and the allocator's slack together; nothing else runs in the process.
//!
//! Usage: `client_memory [addresses]` (1,000,000 by default); prints one JSON line. Run by
//! `cargo xtask bench`.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::time::Duration;

use emploi_proxy::config::{Budget as BudgetSettings, Limits};
use emploi_proxy::sites::Access;
use emploi_proxy::upstream::{Budget, Caller, Class};

/// The process's resident memory in bytes (`VmRSS`).
fn live() -> isize {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<isize>().ok())
        .unwrap_or(0);
    kib * 1024
}

/// The `i`-th address: half IPv4, half IPv6 in distinct /64s.
fn address(i: u32) -> IpAddr {
    if i.is_multiple_of(2) {
        IpAddr::V4(Ipv4Addr::from(0x0B00_0000 + i))
    } else {
        let network = 0x2001_0db8_0000_0000_u128 << 64 | u128::from(i) << 64;
        IpAddr::V6(Ipv6Addr::from(network | 0x1234))
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let n: u32 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(1_000_000);
    let limits = Limits::default();
    let access = Access::new(&[], &limits);
    let settings = BudgetSettings { calls_per_second: 1_000_000, ..BudgetSettings::default() };
    let budget = Budget::new(&settings, limits.calls_per_client_per_minute, None);
    let before = live();
    for i in 0..n {
        let key = access.ip_key(address(i));
        let _ = access.within_client_limit(Some(key));
        let caller = Caller { site: "bench".into(), client: Some(key), class: Class::Spare };
        let _ = caller.scope(budget.acquire()).await;
    }
    let peak = live() - before;
    let (tracked_gate, tracked_budget) = (access.tracked_clients(), budget.tracked_clients());
    // Both allowances are whole again once a client's request has drained away: 60 s / 300 for
    // the request limiter, 60 s / 60 for the budget's share.
    tokio::time::sleep(Duration::from_millis(2_500)).await;
    access.prune();
    budget.prune();
    let after = live() - before;
    println!(
        "{}",
        serde_json::json!({
            "measure": "client_memory",
            "addresses": n,
            "tracked_gate": tracked_gate,
            "tracked_budget": tracked_budget,
            "bytes": peak,
            "bytes_per_address": peak as f64 / f64::from(n),
            "after_prune_bytes": after,
            "after_prune_tracked": access.tracked_clients() + budget.tracked_clients(),
        })
    );
}
