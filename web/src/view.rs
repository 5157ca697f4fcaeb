//! The page's components. They read the state and send actions; nothing here knows how a
//! cluster works.

use gloo::timers::callback::Interval;
use web_sys::{HtmlInputElement, HtmlTextAreaElement, KeyboardEvent};
use yew::prelude::*;

use crate::state::{Action, AppState, LineKind, clock_text};
use kubeplay_core::snapshot::{NodeView, PodView};

/// The run's seed: `?seed=N` in the address, else 1. The same seed and the same commands give
/// the same cluster, so a blogger's link reproduces what the post shows.
fn seed_from_url() -> u64 {
    let search = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    search
        .trim_start_matches('?')
        .split('&')
        .find_map(|kv| kv.strip_prefix("seed="))
        .and_then(|v| v.parse().ok())
        .unwrap_or(1)
}

/// Real milliseconds between clock ticks.
const TICK_MS: u32 = 100;

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(|| AppState::new(seed_from_url()));
    {
        let state = state.clone();
        use_effect_with((), move |_| {
            let interval = Interval::new(TICK_MS, move || state.dispatch(Action::Tick(TICK_MS as u64)));
            move || drop(interval)
        });
    }
    html! {
        <div class="app">
            <header>
                <h1>{ "Kubeplay" }</h1>
                <TimeControls state={state.clone()} />
            </header>
            <main>
                <section class="editor-pane">
                    <Editor state={state.clone()} />
                </section>
                <section class="cluster-pane">
                    <ClusterView state={state.clone()} />
                </section>
            </main>
            <Terminal state={state.clone()} />
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct StateProps {
    state: UseReducerHandle<AppState>,
}

impl PartialEq for AppState {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

#[function_component(TimeControls)]
fn time_controls(props: &StateProps) -> Html {
    let s = &props.state;
    let button = |id: &'static str, label: &'static str, action: fn() -> Action, active: bool| {
        let st = s.clone();
        let onclick = Callback::from(move |_| st.dispatch(action()));
        html! { <button id={id} class={classes!("time", active.then_some("active"))} {onclick}>{ label }</button> }
    };
    html! {
        <div class="time-controls">
            <span id="clock" title="virtual time since the cluster started">{ clock_text(s.snapshot.now) }</span>
            { button("speed-pause", "Pause", || Action::Speed(0), s.speed == 0) }
            { button("speed-1", "1×", || Action::Speed(1), s.speed == 1) }
            { button("speed-10", "10×", || Action::Speed(10), s.speed == 10) }
            { button("step", "Next event", || Action::Step, false) }
        </div>
    }
}

#[function_component(Editor)]
fn editor(props: &StateProps) -> Html {
    let s = props.state.clone();
    let oninput = {
        let s = s.clone();
        Callback::from(move |e: InputEvent| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            s.dispatch(Action::Edit(area.value()));
        })
    };
    let onclick = {
        let s = s.clone();
        Callback::from(move |_| s.dispatch(Action::Apply))
    };
    html! {
        <>
            <div class="pane-title">{ "Manifest" }<button id="apply" {onclick}>{ "Apply" }</button></div>
            <textarea id="editor" spellcheck="false" wrap="off" value={s.editor.clone()} {oninput} />
        </>
    }
}

fn pod_chip(p: &PodView) -> Html {
    let title = format!(
        "{}/{}  {}  READY {}  RESTARTS {}",
        p.namespace, p.name, p.status, p.ready, p.restarts
    );
    html! {
        <div class={classes!("pod", p.class)} data-pod={p.name.clone()} data-status={p.status.clone()} {title}>
            <span class="pod-name">{ &p.name }</span>
            <span class="pod-status">{ &p.status }</span>
        </div>
    }
}

/// A node with its pods, and a switch for its machine: the button types `docker stop` or
/// `docker start` into the terminal, as a kind user would.
fn node_card(n: &NodeView, state: &UseReducerHandle<AppState>) -> Html {
    let verb = if n.running { "stop" } else { "start" };
    let line = format!("docker {verb} {}", n.name);
    let onclick = {
        let s = state.clone();
        Callback::from(move |_| s.dispatch(Action::Run(line.clone())))
    };
    let label = if n.running { "Stop" } else { "Start" };
    html! {
        <div class={classes!("node", (n.status != "Ready").then_some("not-ready"))} data-node={n.name.clone()}>
            <div class="node-title">
                <b>{ &n.name }</b><span>{ format!("{} · {}", n.status, n.roles) }</span>
                <button class="node-power" data-action={verb} title={format!("docker {verb} {}", n.name)} {onclick}>{ label }</button>
            </div>
            <div class="pods">{ for n.pods.iter().map(pod_chip) }</div>
        </div>
    }
}

#[function_component(ClusterView)]
fn cluster_view(props: &StateProps) -> Html {
    let snap = &props.state.snapshot;
    html! {
        <>
            <div class="pane-title">{ "Cluster" }</div>
            <div id="cluster" class="nodes">{ for snap.nodes.iter().map(|n| node_card(n, &props.state)) }</div>
            if !snap.unscheduled.is_empty() {
                <div class="unscheduled">
                    <div class="node-title"><b>{ "Not scheduled" }</b></div>
                    <div class="pods">{ for snap.unscheduled.iter().map(pod_chip) }</div>
                </div>
            }
        </>
    }
}

#[function_component(Terminal)]
fn terminal(props: &StateProps) -> Html {
    let s = props.state.clone();
    let input = use_node_ref();
    let output = use_node_ref();
    let history = use_mut_ref(Vec::<String>::new);
    let cursor = use_mut_ref(|| 0usize);
    {
        let output = output.clone();
        use_effect_with(s.lines.len(), move |_| {
            if let Some(el) = output.cast::<web_sys::Element>() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    }
    let onkeydown = {
        let s = s.clone();
        let input = input.clone();
        Callback::from(move |e: KeyboardEvent| {
            let Some(el) = input.cast::<HtmlInputElement>() else {
                return;
            };
            // Ctrl-C stops a watch or drops the line, as in a terminal; with text selected
            // it is left to the browser to copy.
            let selecting = web_sys::window()
                .and_then(|w| w.get_selection().ok().flatten())
                .is_some_and(|sel| !sel.is_collapsed());
            if e.ctrl_key() && e.key().eq_ignore_ascii_case("c") && !selecting {
                e.prevent_default();
                el.set_value("");
                s.dispatch(Action::Interrupt);
                return;
            }
            match e.key().as_str() {
                "Enter" => {
                    let line = el.value();
                    if !line.trim().is_empty() {
                        history.borrow_mut().push(line.clone());
                    }
                    *cursor.borrow_mut() = history.borrow().len();
                    el.set_value("");
                    s.dispatch(Action::Run(line));
                }
                "ArrowUp" | "ArrowDown" => {
                    e.prevent_default();
                    let h = history.borrow();
                    let mut c = cursor.borrow_mut();
                    if e.key() == "ArrowUp" {
                        *c = c.saturating_sub(1);
                    } else if *c < h.len() {
                        *c += 1;
                    }
                    el.set_value(h.get(*c).map(String::as_str).unwrap_or(""));
                }
                _ => {}
            }
        })
    };
    let focus = {
        let input = input.clone();
        Callback::from(move |_| {
            if let Some(el) = input.cast::<HtmlInputElement>() {
                let _ = el.focus();
            }
        })
    };
    let prompt = s.prompt.clone();
    let placeholder = if s.watching {
        "watching: Ctrl-C stops it"
    } else {
        "kubectl get pods"
    };
    html! {
        <section class="terminal" onclick={focus}>
            <div id="terminal-output" class="output" ref={output}>
                { for s.lines.iter().map(|l| {
                    let class = match l.kind { LineKind::Prompt => "prompt", LineKind::Out => "out", LineKind::Err => "err" };
                    html! { <pre class={class}>{ &l.text }</pre> }
                }) }
            </div>
            <div class="input-line">
                <span class="prompt">{ prompt }</span>
                <input id="terminal-input" ref={input} {onkeydown} autocomplete="off" spellcheck="false"
                    {placeholder} />
            </div>
        </section>
    }
}
