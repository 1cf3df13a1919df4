//! Times bcrypt: `hashtime [cost] [rounds]`.
//!
//! Prints one `key=value` line: the mean time of one hash (`hash_ms`) and of one verify
//! (`verify_ms`) on one thread, and the hashes per second that `nproc` threads reach together
//! (`parallel_per_s`), which shows whether the cores really scale (SMT siblings, throttling).

use std::thread;
use std::time::Instant;

fn mean_ms(rounds: u32, mut job: impl FnMut()) -> f64 {
    let start = Instant::now();
    for _ in 0..rounds {
        job();
    }
    start.elapsed().as_secs_f64() * 1000.0 / f64::from(rounds)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let cost: u32 = args.next().and_then(|a| a.parse().ok()).unwrap_or(10);
    let rounds: u32 = args.next().and_then(|a| a.parse().ok()).unwrap_or(20);
    let password = "Bench-Passw0rd!-ceiling";

    // Warm up (CPU frequency, caches), then measure.
    let hash = bcrypt::hash(password, cost).expect("bcrypt hash");
    let hash_ms = mean_ms(rounds, || {
        bcrypt::hash(password, cost).expect("bcrypt hash");
    });
    let verify_ms = mean_ms(rounds, || {
        assert!(bcrypt::verify(password, &hash).expect("bcrypt verify"));
    });

    let cores = thread::available_parallelism().map_or(1, |n| n.get());
    let start = Instant::now();
    let workers: Vec<_> = (0..cores)
        .map(|_| {
            let hash = hash.clone();
            thread::spawn(move || {
                for _ in 0..rounds {
                    bcrypt::verify(password, &hash).expect("bcrypt verify");
                }
            })
        })
        .collect();
    for w in workers {
        w.join().expect("worker");
    }
    let parallel_per_s = f64::from(rounds) * cores as f64 / start.elapsed().as_secs_f64();

    println!(
        "cost={cost} rounds={rounds} cores={cores} hash_ms={hash_ms:.2} verify_ms={verify_ms:.2} parallel_per_s={parallel_per_s:.1}"
    );
}
