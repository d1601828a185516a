//! Keys and clicks seen by the window root: the idle lock counts from them, Escape goes
//! back, the F-keys and shortcuts switch screens (only for keys no field used).

use super::*;

impl App {
    /// Keys and clicks seen by the window: idle lock, Escape, then the shortcuts (only for
    /// keys no field used).
    pub(in crate::gui) fn input(&mut self, input: Input) -> Task<Message> {
        self.last_input = self.now();
        let Input::Key {
            key,
            modifiers,
            captured,
        } = input
        else {
            return Task::none();
        };
        if key == Key::Named(Named::Escape) {
            return self.escape();
        }
        // The register's search field takes Home/End for its cursor; the list takes them too.
        let home_end = matches!(key, Key::Named(Named::Home | Named::End));
        if captured && !(home_end && self.phase == Phase::Main && self.tab == Tab::Register) {
            return Task::none();
        }
        let ctrl = modifiers.command();
        match key.as_ref() {
            Key::Named(Named::Tab) if modifiers.shift() => focus::previous(),
            Key::Named(Named::Tab) => focus::next(),
            Key::Character("l") if ctrl => self.lock(),
            Key::Character("=" | "+") if ctrl => self.zoom_by(1),
            Key::Character("-") if ctrl => self.zoom_by(-1),
            Key::Character("0") if ctrl => self.zoom_by(0),
            Key::Character("h") if ctrl => self.toggle_contrast(),
            _ => {
                if let Some(tab) = Tab::of_key(&key) {
                    return self.show(tab);
                }
                if self.phase != Phase::Main {
                    return Task::none();
                }
                match self.tab {
                    Tab::Receive => {
                        let (task, action) = self.receive.key(&key, modifiers);
                        let mut tasks = vec![task.map(Message::Receive)];
                        if let Some(a) = action {
                            tasks.push(self.receive_action(a));
                        }
                        Task::batch(tasks)
                    }
                    Tab::Register => {
                        let started = Instant::now();
                        let step = self.register.key(&key, modifiers);
                        if self.trace.enabled {
                            // A step within the rows already read is done here; one that
                            // needs a page is done when the page arrives.
                            if step
                                .1
                                .iter()
                                .any(|a| matches!(a, register::Action::Page { .. }))
                            {
                                self.trace.scroll = Some(started);
                            } else {
                                self.trace.done("scroll", Some(started));
                            }
                        }
                        self.register_step(step)
                    }
                    Tab::Returns => {
                        let (task, action) = self.returns.key(&key, modifiers);
                        self.returns_step(task, action)
                    }
                    Tab::Access if self.may_review() => {
                        let step = self.access_log.key(&key, modifiers);
                        self.access_step(step)
                    }
                    Tab::Reports if self.may_review() => {
                        let step = self.reports.key(&key, modifiers);
                        self.reports_step(step)
                    }
                    Tab::Sync if ctrl && key.as_ref() == Key::Character("r") => {
                        self.on_sync_screen(sync::Message::SyncNow)
                    }
                    Tab::Sync if ctrl && key.as_ref() == Key::Character("k") => {
                        self.on_sync_screen(sync::Message::Recover)
                    }
                    _ => Task::none(),
                }
            }
        }
    }

    pub(in crate::gui) fn escape(&mut self) -> Task<Message> {
        if self.phase != Phase::Main {
            return Task::none();
        }
        match self.tab {
            Tab::Receive => {
                let (task, _) = self.receive.escape();
                task.map(Message::Receive)
            }
            Tab::Register => {
                let step = self.register.escape();
                self.register_step(step)
            }
            Tab::Returns => {
                let (task, action) = self
                    .returns
                    .key(&Key::Named(Named::Escape), Modifiers::empty());
                self.returns_step(task, action)
            }
            _ => Task::none(),
        }
    }
}
