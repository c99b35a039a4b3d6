//! Times the scanner alone over a file (development aid for the parse benchmark).
use zonelint_zone::scan::Scanner;

fn main() {
    let path = std::env::args().nth(1).unwrap_or_default();
    let text = std::fs::read(&path).unwrap_or_default();
    let started = std::time::Instant::now();
    let mut scanner = Scanner::new(&text);
    let (mut tokens, mut comments, mut errors) = (Vec::new(), Vec::new(), Vec::new());
    let (mut entries, mut count) = (0usize, 0usize);
    while scanner
        .next_entry(&mut tokens, &mut comments, &mut errors)
        .is_some()
    {
        entries += 1;
        count += tokens.len();
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{entries} entries, {count} tokens, {:.1} MB/s",
        text.len() as f64 / 1e6 / seconds
    );
}
