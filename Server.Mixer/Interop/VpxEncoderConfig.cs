using System.Runtime.InteropServices;

namespace MediaServer.Mixer.Interop;

/// <summary>
/// <c>vpx_codec_enc_cfg_t</c> (vpx_encoder.h, libvpx 1.12), field for field in header order.
/// 504 bytes on x86-64: sizeof and the offsets in the comments were printed by a C program
/// built against the 1.12 headers (gcc, Debian libvpx-dev 1.12.0-1+deb12u5), and
/// Vp8InteropLayoutTests checks them. vpx_rational_t is two ints and vpx_fixed_buf_t a pointer
/// and a size_t, written out inline; the enums are int-sized.
/// Filled by <c>vpx_codec_enc_config_default</c>, then adjusted by <see cref="Video.Vp8Encoder"/>.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct VpxEncoderConfig
{
    // Generic settings (g_*).
    public uint Usage;                        // 0   g_usage
    public uint Threads;                      // 4   g_threads
    public uint Profile;                      // 8   g_profile
    public uint Width;                        // 12  g_w
    public uint Height;                       // 16  g_h
    public int BitDepth;                      // 20  g_bit_depth (vpx_bit_depth_t)
    public uint InputBitDepth;                // 24  g_input_bit_depth
    public int TimebaseNumerator;             // 28  g_timebase.num
    public int TimebaseDenominator;           // 32  g_timebase.den
    public uint ErrorResilient;               // 36  g_error_resilient (vpx_codec_er_flags_t)
    public int Pass;                          // 40  g_pass (vpx_enc_pass)
    public uint LagInFrames;                  // 44  g_lag_in_frames

    // Rate control (rc_*).
    public uint DropFrameThreshold;           // 48  rc_dropframe_thresh
    public uint ResizeAllowed;                // 52  rc_resize_allowed
    public uint ScaledWidth;                  // 56  rc_scaled_width
    public uint ScaledHeight;                 // 60  rc_scaled_height
    public uint ResizeUpThreshold;            // 64  rc_resize_up_thresh
    public uint ResizeDownThreshold;          // 68  rc_resize_down_thresh
    public int EndUsage;                      // 72  rc_end_usage (vpx_rc_mode); 4 bytes of padding follow
    public void* TwoPassStatsBuffer;          // 80  rc_twopass_stats_in.buf
    public nuint TwoPassStatsSize;            // 88  rc_twopass_stats_in.sz
    public void* FirstPassMbStatsBuffer;      // 96  rc_firstpass_mb_stats_in.buf
    public nuint FirstPassMbStatsSize;        // 104 rc_firstpass_mb_stats_in.sz
    public uint TargetBitrate;                // 112 rc_target_bitrate, kbit/s
    public uint MinQuantizer;                 // 116 rc_min_quantizer
    public uint MaxQuantizer;                 // 120 rc_max_quantizer
    public uint UndershootPercent;            // 124 rc_undershoot_pct
    public uint OvershootPercent;             // 128 rc_overshoot_pct
    public uint BufferSize;                   // 132 rc_buf_sz, ms
    public uint BufferInitialSize;            // 136 rc_buf_initial_sz, ms
    public uint BufferOptimalSize;            // 140 rc_buf_optimal_sz, ms
    public uint TwoPassVbrBiasPercent;        // 144 rc_2pass_vbr_bias_pct
    public uint TwoPassVbrMinSectionPercent;  // 148 rc_2pass_vbr_minsection_pct
    public uint TwoPassVbrMaxSectionPercent;  // 152 rc_2pass_vbr_maxsection_pct
    public uint TwoPassVbrCorpusComplexity;   // 156 rc_2pass_vbr_corpus_complexity

    // Keyframes (kf_*).
    public int KeyframeMode;                  // 160 kf_mode (vpx_kf_mode)
    public uint KeyframeMinDistance;          // 164 kf_min_dist
    public uint KeyframeMaxDistance;          // 168 kf_max_dist

    // Spatial and temporal layers (VPX_SS_MAX_LAYERS = 5, VPX_TS_MAX_LAYERS = 5,
    // VPX_TS_MAX_PERIODICITY = 16, VPX_MAX_LAYERS = 12).
    public uint SpatialLayerCount;            // 172 ss_number_layers
    public fixed int SpatialEnableAutoAltRef[5];    // 176 ss_enable_auto_alt_ref
    public fixed uint SpatialTargetBitrate[5];      // 196 ss_target_bitrate
    public uint TemporalLayerCount;                 // 216 ts_number_layers
    public fixed uint TemporalTargetBitrate[5];     // 220 ts_target_bitrate
    public fixed uint TemporalRateDecimator[5];     // 240 ts_rate_decimator
    public uint TemporalPeriodicity;                // 260 ts_periodicity
    public fixed uint TemporalLayerId[16];          // 264 ts_layer_id
    public fixed uint LayerTargetBitrate[12];       // 328 layer_target_bitrate
    public int TemporalLayeringMode;                // 376 temporal_layering_mode

    // VP9's "Vizier" rate control tuning, unused by VP8.
    public int UseVizierRateControlParams;          // 380 use_vizier_rc_params

    /// <summary>
    /// 384..503: fifteen vpx_rational_t (num, den) for the Vizier parameters, in header order:
    /// active_wq_factor, err_per_mb_factor, sr_default_decay_limit, sr_diff_factor,
    /// kf_err_per_mb_factor, kf_frame_min_boost_factor, kf_frame_max_boost_first_factor,
    /// kf_frame_max_boost_subs_factor, kf_max_total_boost_factor, gf_max_total_boost_factor,
    /// gf_frame_max_boost_factor, zm_factor, rd_mult_inter_qp_fac, rd_mult_arf_qp_fac,
    /// rd_mult_key_qp_fac (the last at 496).
    /// </summary>
    public fixed int VizierFactors[30];
}
