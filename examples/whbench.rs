use sendexa_whatsapp::engine::webhook;
use std::time::Instant;
fn main() {
    let text = format!(
        r#"{{"event":"message.received","messageId":"exa_wa_in_1","wamid":"wamid.HBg","from":"233244000000","type":"text","text":{{"body":"{}"}},"timestamp":"2024-01-15T10:31:00Z"}}"#,
        "Hello, is my order on its way? ".repeat(60)
    );
    let n = 20000;
    let t = Instant::now();
    let mut k = 0;
    for _ in 0..n {
        let ev = webhook::event::parse_events(std::hint::black_box(&text)).unwrap();
        k += ev.len();
    }
    println!(
        "parse_events {:.2} µs",
        t.elapsed().as_nanos() as f64 / n as f64 / 1000.0
    );
    let ev = webhook::event::parse_events(&text).unwrap();
    let t = Instant::now();
    for _ in 0..n {
        let v =
            sendexa_whatsapp::engine::json::Value::Array(ev.iter().map(|e| e.to_value()).collect());
        k += v.to_json().len();
    }
    println!(
        "to_value+to_json {:.2} µs {k}",
        t.elapsed().as_nanos() as f64 / n as f64 / 1000.0
    );
    let t = Instant::now();
    for _ in 0..n {
        let v = sendexa_whatsapp::engine::json::parse(std::hint::black_box(&text)).unwrap();
        k += v.to_json().len();
    }
    println!(
        "json parse+to_json {:.2} µs {k}",
        t.elapsed().as_nanos() as f64 / n as f64 / 1000.0
    );
}
