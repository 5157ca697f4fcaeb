//! The page's safety net for a panic in the core.
//!
//! In the browser a panic aborts: the wasm instance traps and nothing in it may run again, so
//! the page cannot simply catch the error and go on. It does not need to: the simulation is
//! deterministic. The page keeps a journal of every input that changed the cluster (lines
//! typed, the editor's text when it was used, virtual time advanced, single steps). A panic
//! hook saves the journal in `sessionStorage` and reloads the page; the new page rebuilds the
//! same cluster by replaying the journal without the input that failed, and says so in the
//! terminal. A panic is still a bug: this only keeps the learner's cluster while it is fixed.

use std::cell::{Cell, RefCell};

use serde::{Deserialize, Serialize};

/// The `sessionStorage` key the journal waits under while the page reloads.
const STORAGE_KEY: &str = "kubeplay-recovery";

/// One input to the cluster, in the order it was given.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Input {
    /// The editor's text at the time a command could read it.
    Editor(String),
    /// A line typed in the terminal (the Apply button types one too).
    Line(String),
    /// Virtual milliseconds that passed (consecutive ones are merged: advancing twice is
    /// advancing once by the sum).
    Advance(u64),
    /// "Next event".
    Step,
    /// Ctrl-C in the terminal.
    Interrupt,
}

/// What the reloaded page needs to rebuild the cluster.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Crash {
    pub seed: u64,
    /// Inputs that completed, to replay.
    pub done: Vec<Input>,
    /// The input the core panicked on: not replayed.
    pub failed: Option<Input>,
    pub message: String,
    pub editor: String,
    pub speed: u32,
}

#[derive(Default)]
struct Journal {
    crash: Crash,
    /// The editor text last recorded, so it is journalled only when it changed.
    editor_recorded: Option<String>,
}

thread_local! {
    static JOURNAL: RefCell<Journal> = RefCell::new(Journal::default());
    /// Set while a journal is replayed: a panic then cannot be escaped by reloading again.
    static REPLAYING: Cell<bool> = const { Cell::new(false) };
    /// Set by the first panic: the trapped instance may panic again (timers still fire into
    /// it) before the reload, and only the first panic's journal is the right one.
    static CRASHED: Cell<bool> = const { Cell::new(false) };
}

/// Starts a journal for a cluster built from `seed`.
pub fn start(seed: u64) {
    JOURNAL.with(|j| {
        if let Ok(mut j) = j.try_borrow_mut() {
            *j = Journal::default();
            j.crash.seed = seed;
        }
    });
}

/// Records the editor's text before an input that may read it, if it changed.
pub fn editor(text: &str, speed: u32) {
    JOURNAL.with(|j| {
        let Ok(mut j) = j.try_borrow_mut() else { return };
        j.crash.editor = text.to_string();
        j.crash.speed = speed;
        if j.editor_recorded.as_deref() != Some(text) {
            j.editor_recorded = Some(text.to_string());
            j.crash.done.push(Input::Editor(text.to_string()));
        }
    });
}

/// Runs `f` as the journal's next input: if the core panics inside it, the hook finds the
/// input pending and leaves it out of the replay.
pub fn record<R>(input: Input, f: impl FnOnce() -> R) -> R {
    JOURNAL.with(|j| {
        if let Ok(mut j) = j.try_borrow_mut() {
            j.crash.failed = Some(input.clone());
        }
    });
    let r = f();
    JOURNAL.with(|j| {
        let Ok(mut j) = j.try_borrow_mut() else { return };
        j.crash.failed = None;
        match (j.crash.done.last_mut(), input) {
            (Some(Input::Advance(total)), Input::Advance(ms)) => *total = total.saturating_add(ms),
            (_, input) => j.crash.done.push(input),
        }
    });
    r
}

/// Whether a journal is being replayed (inputs are then not journalled again).
pub fn replaying() -> bool {
    REPLAYING.with(Cell::get)
}

pub fn set_replaying(on: bool) {
    REPLAYING.with(|r| r.set(on));
}

/// The journal a crashed page left, taken out of `sessionStorage`.
pub fn take_crash() -> Option<Crash> {
    let storage = web_sys::window()?.session_storage().ok()??;
    let text = storage.get_item(STORAGE_KEY).ok()??;
    let _ = storage.remove_item(STORAGE_KEY);
    serde_json::from_str(&text).ok()
}

/// Installs the panic hook: save the journal, reload, and let the new page replay it. Through
/// Yew, which would otherwise replace any hook with its own when the app is rendered.
pub fn install_hook() {
    yew::set_custom_panic_hook(Box::new(|info| {
        if CRASHED.with(|c| c.replace(true)) {
            return;
        }
        let what = kubeplay_core::session::panic_message(info.payload());
        let message = match info.location() {
            Some(l) => format!("{what} (at {}:{})", l.file(), l.line()),
            None => what,
        };
        web_sys::console::error_1(&format!("kubeplay: {message}").into());
        let Some(window) = web_sys::window() else { return };
        if replaying() {
            // The replay itself failed: reloading would loop. Say so and stop.
            if let Some(body) = window.document().and_then(|d| d.body()) {
                body.set_text_content(Some(&format!(
                    "Kubeplay stopped: an internal error happened while rebuilding the cluster ({message}). Reload the page to start a new cluster."
                )));
            }
            return;
        }
        let crash = JOURNAL.with(|j| {
            j.try_borrow().ok().map(|j| Crash {
                message: message.clone(),
                ..j.crash.clone()
            })
        });
        let saved = crash.and_then(|c| serde_json::to_string(&c).ok()).and_then(|text| {
            window
                .session_storage()
                .ok()
                .flatten()?
                .set_item(STORAGE_KEY, &text)
                .ok()
        });
        if saved.is_some() {
            let _ = window.location().reload();
        }
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advances_merge_and_a_pending_input_is_left_out() {
        start(7);
        record(Input::Advance(100), || ());
        record(Input::Advance(250), || ());
        editor("a: b", 1);
        editor("a: b", 1);
        record(Input::Line("kubectl get pods".into()), || ());
        let crash = JOURNAL.with(|j| {
            let mut j = j.borrow_mut();
            j.crash.failed = Some(Input::Step);
            j.crash.clone()
        });
        assert_eq!(crash.seed, 7);
        assert_eq!(
            crash.done,
            [
                Input::Advance(350),
                Input::Editor("a: b".into()),
                Input::Line("kubectl get pods".into())
            ]
        );
        assert_eq!(crash.failed, Some(Input::Step));
    }
}
