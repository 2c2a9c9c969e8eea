/** One colour per timeline lane (the order of LANES), shared by the charts and the legend. */
export const LANE_COLOURS = ['#6b7280', '#2563eb', '#dc2626', '#059669', '#d97706', '#7c3aed', '#0891b2', '#9ca3af'];

export const MARK_COLOURS: Record<string, string> = { RunStarted: '#16a34a', RunEnded: '#b91c1c', SnapshotAnchor: '#db2777', MarkerGap: '#f59e0b' };
