// Extra header widgets (the notification bell lives here once notifications exist).
export function HeaderSlots() {
  return null;
}
