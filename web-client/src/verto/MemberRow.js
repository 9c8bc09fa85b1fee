// A conference member as the live array carries it (verto-protocol.md §8.5): a 7-element
// row whose index 4 is a JSON *string* of the status. Read defensively: a row this client
// cannot understand is shown with what it has rather than breaking the member list.

export class MemberRow {
  /** @param {string} callId the row's hashKey @param {Array} row */
  constructor(callId, row) {
    const cells = Array.isArray(row) ? row : [];
    this.callId = callId;
    const id = parseInt(cells[0], 10);
    this.memberId = Number.isInteger(id) ? id : null;
    this.number = typeof cells[1] === 'string' ? cells[1] : '';
    this.name = typeof cells[2] === 'string' && cells[2] ? cells[2] : this.number || 'Unknown';
    this.codec = typeof cells[3] === 'string' ? cells[3] : '';
    this.userVariables = cells[5] && typeof cells[5] === 'object' ? cells[5] : {};
    let status = {};
    try { status = typeof cells[4] === 'string' ? JSON.parse(cells[4]) : (cells[4] || {}); } catch { status = {}; }
    const audio = status.audio || {};
    const video = status.video && typeof status.video === 'object' ? status.video : null;
    this.audio = {
      muted: audio.muted === true, deaf: audio.deaf === true, onHold: audio.onHold === true,
      talking: audio.talking === true, floor: audio.floor === true, energyScore: Number(audio.energyScore) || 0,
    };
    // Not in FreeSWITCH's rows: this server marks moderators so the list can badge them.
    this.moderator = status.moderator === true;
    this.video = video && {
      muted: video.muted === true, floor: video.floor === true, floorLocked: video.floorLocked === true,
      visible: video.visible === true, screenShare: video.screenShare === true,
      reservationId: video.reservationID || null, layerId: Number.isInteger(video.videoLayerID) ? video.videoLayerID : -1,
    };
  }
}
