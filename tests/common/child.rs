//! A real `unlatch` process a test started: read until it listens, stopped with SIGTERM, and
//! killed when the test ends however it ends (a test that panics leaves nothing running).

use std::io::{BufRead, BufReader};
use std::ops::{Deref, DerefMut};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

/// The child, killed (and reaped) on drop if it is still running.
pub struct Running(Child);

impl Deref for Running {
    type Target = Child;
    fn deref(&self) -> &Child {
        &self.0
    }
}

impl DerefMut for Running {
    fn deref_mut(&mut self) -> &mut Child {
        &mut self.0
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

/// A started `unlatch serve`: the process, its address, the lines it wrote until then, and the
/// lines it writes after (read to the end whether or not `later` is kept, so it never blocks on
/// a full pipe).
pub struct Served {
    pub child: Running,
    pub address: String,
    pub lines: Vec<String>,
    pub later: mpsc::Receiver<String>,
}

/// Runs `command` (an `unlatch serve`) and reads its log until it is listening and, when `also`
/// is given, until a line containing `also` too; at most `patience` for each line.
pub fn serve(mut command: Command, also: Option<&str>, patience: Duration) -> Served {
    let child = command
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("binary starts");
    let mut child = Running(child);
    let stderr = child.stderr.take().expect("stderr");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            // Read to the end even when nobody keeps the lines, so the child never blocks on a
            // full pipe.
            let _ = tx.send(line);
        }
    });
    let mut lines: Vec<String> = Vec::new();
    let mut address = None;
    loop {
        let line = rx
            .recv_timeout(patience)
            .unwrap_or_else(|_| panic!("no 'listening' line (or {also:?}); saw {lines:#?}"));
        if line.contains("Unlatch is listening") {
            address = line.split("address=").nth(1).map(|a| a.trim().to_string());
        }
        lines.push(line);
        let also_seen = also.is_none_or(|needle| lines.iter().any(|l| l.contains(needle)));
        if let (Some(address), true) = (&address, also_seen) {
            return Served {
                child,
                address: address.clone(),
                lines,
                later: rx,
            };
        }
    }
}

/// SIGTERM, and the exit status; panics if it has not stopped `within`.
pub fn terminate(child: &mut Running, within: Duration) -> ExitStatus {
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
    let deadline = std::time::Instant::now() + within;
    while std::time::Instant::now() < deadline {
        if let Some(status) = child.try_wait().expect("wait") {
            return status;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("unlatch did not stop within {within:?} of SIGTERM");
}

/// Lines a process writes, kept as they come (read on a thread of its own, so the process never
/// blocks on a full pipe).
#[derive(Clone, Default)]
pub struct Kept(Arc<Mutex<Vec<String>>>);

impl Kept {
    /// Keeps `first`, then every line `rx` brings.
    pub fn from(first: Vec<String>, rx: mpsc::Receiver<String>) -> Kept {
        let kept = Kept(Arc::new(Mutex::new(first)));
        let sink = kept.clone();
        std::thread::spawn(move || {
            while let Ok(line) = rx.recv() {
                sink.0.lock().expect("lock").push(line);
            }
        });
        kept
    }

    /// Every line kept so far, one a line.
    pub fn text(&self) -> String {
        self.0.lock().expect("lock").join("\n")
    }
}
