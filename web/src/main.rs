//! The Kubeplay page: a manifest editor, a terminal, a drawing of the cluster and time
//! controls, over one simulated cluster running in virtual time.

mod recovery;
mod state;
mod view;

fn main() {
    recovery::install_hook();
    yew::Renderer::<view::App>::new().render();
}
