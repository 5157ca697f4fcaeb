//! What a command keeps printing after it returns: a watch (`get -w`, `events -w`) or a
//! followed log (`logs -f`). The session holds it: in the page until Ctrl-C, the next line, or
//! its end; in a script until the next command, after the time of its `--request-timeout`.

use crate::cluster::World;
use crate::session::io::Output;
use crate::sim::clock::Millis;

pub trait Stream {
    /// Prints what arrived since the last read.
    fn poll(&mut self, world: &mut World, out: &mut Output);
    /// Releases what it holds on the server.
    fn close(self: Box<Self>, world: &mut World);
    /// When it ends by itself at the latest: its `--request-timeout`, or the server's close.
    fn ends_at(&self) -> Millis;
    /// Whether a `--request-timeout` bounds it (a script then lets that time pass).
    fn timed(&self) -> bool;
    /// It ended before that (the followed containers stopped).
    fn done(&self) -> bool {
        false
    }
}
