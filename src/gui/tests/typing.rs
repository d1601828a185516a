//! Part 3: typing as Vietnamese input methods type. Unikey and EVKey (Telex or VNI) send
//! the plain letter, then for each mark a Backspace and the letter with its marks; every
//! field the clerk types Vietnamese into must end up with exactly the word, in NFC.

use super::*;

#[path = "../../../tests/common/unikey.rs"]
mod unikey;

use unikey::{Stroke, replay, strokes};

impl<P: iced::Program<State = App, Message = Message, Theme = Theme> + 'static> Window<P> {
    /// Types `text` the way the input method sends it.
    fn type_unikey(&mut self, text: &str) {
        let s = strokes(text);
        assert_eq!(replay(&s), text, "the strokes spell the text");
        for stroke in s {
            match stroke {
                Stroke::Text(t) => self.type_text(&t),
                Stroke::Backspace => self.ice("type backspace"),
            }
        }
    }
}

#[test]
fn words_typed_by_an_input_method_are_kept_exactly_in_every_field() {
    let s = Station::empty();
    let mut w = s.open();
    // The wizard: every field, by Enter.
    for v in [
        "000.17.22.H56",
        "UBND xã Tân Lập",
        "UBND tỉnh Thanh Hóa",
        "1",
        "lan",
        "Trần Thị Lan",
        "mật khẩu dài",
        "mật khẩu dài",
    ] {
        w.type_unikey(v);
        w.enter();
    }
    assert!(w.shows(T::LoginTitle.vi()), "the wizard is done");
    let st = Counter::station_in(&s.paths).unwrap().unwrap();
    assert_eq!(st.agency_name, "UBND xã Tân Lập");
    assert_eq!(st.parent_name.as_deref(), Some("UBND tỉnh Thanh Hóa"));
    // The password typed so signs in.
    w.type_text("lan");
    w.enter();
    w.type_unikey("mật khẩu dài");
    w.enter();
    assert!(w.shows("F1 Tiếp nhận"), "signed in");

    // Receiving: the search that reacts to every keystroke, then the applicant.
    w.type_unikey("đăng ký khai sinh");
    assert!(w.shows("1.001193  Thủ tục đăng ký khai sinh"));
    w.enter();
    assert!(w.shows("1.001193 — Thủ tục đăng ký khai sinh"));
    // The documents: none marked; Enter goes on to the name.
    w.enter();
    w.type_unikey("Nguyễn Thị Ngọc Ánh");
    w.enter();
    w.type_text("001199012345");
    w.enter();
    w.type_text("0912345678");
    w.enter();
    w.enter();
    w.type_unikey("Xóm Đồi, thôn Thượng, xã Tân Lập");
    w.ctrl("s");
    let list = s.counter().search("", None, 10).unwrap();
    assert_eq!(list.len(), 1, "saved");
    let d = s.counter().dossier(&list[0].code).unwrap();
    assert_eq!(d.applicant.full_name, "Nguyễn Thị Ngọc Ánh");
    assert_eq!(
        d.applicant.address.as_deref(),
        Some("Xóm Đồi, thôn Thượng, xã Tân Lập")
    );

    // The register's search box finds it by the name typed the same way.
    w.key(Named::F2);
    w.type_unikey("Ngọc Ánh");
    assert!(w.shows(&list[0].code), "found by the typed name");
}
