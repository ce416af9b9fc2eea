<?php
/**
 * Values from shortcodes, blocks and other plugins' content made safe to use, and the text of the
 * no-JavaScript link to X cut to a post X accepts.
 *
 * @package Chorus
 */

defined( 'ABSPATH' ) || exit;

/**
 * Any value as plain text on one line: valid UTF-8, entities decoded (wptexturize leaves `&#8217;` and
 * the like), white space folded. Markup stays in it as text; whoever prints it escapes it.
 */
function chorus_plain( $value ) {
	if ( ! is_scalar( $value ) ) {
		return '';
	}
	$value = wp_check_invalid_utf8( (string) $value, true );
	$value = html_entity_decode( $value, ENT_QUOTES | ENT_HTML5, 'UTF-8' );
	return trim( (string) preg_replace( '/\s+/u', ' ', $value ) );
}

/**
 * The text a shortcode encloses, as plain text: what wpautop added around or inside it (`<p>`, `<br />`)
 * goes, every other tag stays as text.
 */
function chorus_enclosed( $content ) {
	$content = preg_replace( '#</?p>|<br\s*/?>#i', ' ', (string) $content );
	return chorus_plain( $content );
}

/**
 * An absolute http(s) URL (a path from the site's root is made absolute), or '': `javascript:`, `data:`,
 * other relative and malformed URLs are dropped.
 */
function chorus_http_url( $value ) {
	$value = trim( chorus_plain( $value ) );
	if ( preg_match( '#^/(?!/)#', $value ) ) {
		$home  = wp_parse_url( home_url() );
		$value = $home['scheme'] . '://' . $home['host'] . ( isset( $home['port'] ) ? ':' . $home['port'] : '' ) . $value;
	}
	if ( ! preg_match( '#^https?://[^/\s]#i', $value ) ) {
		return '';
	}
	return esc_url_raw( $value, array( 'http', 'https' ) );
}

/** Whether a shortcode's or block's value means yes (a bare flag, `yes`, `true`, `1`, `on`). */
function chorus_truthy( $value ) {
	if ( is_bool( $value ) ) {
		return $value;
	}
	return in_array( strtolower( trim( (string) $value ) ), array( '', '1', 'yes', 'true', 'on' ), true );
}

/** Hashtags as the element takes them (space separated, without `#`), each tag letters, digits or `_`. */
function chorus_hashtags( $value ) {
	preg_match_all( '/[^\s,#\x{FF03}][^\s,]*/u', chorus_plain( $value ), $found );
	$tags = array();
	foreach ( $found[0] as $tag ) {
		$tag = preg_replace( '/[^\p{L}\p{M}\p{N}_]/u', '', $tag );
		if ( '' !== $tag ) {
			$tags[] = $tag;
		}
	}
	return implode( ' ', array_unique( $tags ) );
}

/**
 * The accounts X suggests following once the reader has posted (its `related` parameter), as the element
 * takes them: X handles separated by commas, without `@`. A leading `@` is dropped (the element passes the
 * value to X as it is, and X wants none); anything else that is not a handle (1 to 15 letters, digits or
 * `_`) is dropped, a `handle:description` pair too; each handle once (X's are not case-sensitive).
 */
function chorus_related( $value ) {
	$handles = array();
	foreach ( explode( ',', chorus_plain( $value ) ) as $handle ) {
		$handle = chorus_sanitize_handle( $handle );
		if ( '' !== $handle && ! isset( $handles[ strtolower( $handle ) ] ) ) {
			$handles[ strtolower( $handle ) ] = $handle;
		}
	}
	return implode( ',', $handles );
}

/**
 * An upper bound of how X counts a post: its UTF-8 bytes, plus 23 for every dot that could start a
 * domain (X counts any URL, even a bare `example.com`, as 23). X weighs no character more than its UTF-8
 * bytes, and counts NFC: both spellings are measured where PHP can normalise. The same bound as
 * quickFit() in @chorus/core, so a post this accepts is one X accepts.
 */
function chorus_x_bound( $post ) {
	$bound = function ( $text ) {
		return strlen( $text ) + 23 * (int) preg_match_all( '/\.(?=[^\s!-\/:-@\[-`{-~])/u', $text );
	};
	$count = $bound( $post );
	if ( class_exists( 'Normalizer' ) ) {
		$nfc = Normalizer::normalize( $post, Normalizer::FORM_C );
		if ( is_string( $nfc ) ) {
			$count = max( $count, $bound( $nfc ) );
		}
	}
	return $count;
}

/**
 * X's documented intent link (`https://x.com/intent/tweet`) for a text, cut at a word boundary (never
 * inside a letter and its accents or an emoji) and ended with `…` until the post X composes (the text,
 * the URL, the hashtags, "via @handle") is surely at most 280. When even `…` does not fit, the hashtags
 * and then the handle are left out. `related` is not part of the post: it never changes the cut.
 *
 * @param string $text     What to share.
 * @param string $url      The page, or '' for none.
 * @param string $via      An X handle, or ''.
 * @param string $hashtags Space-separated tags without `#`.
 * @param string $related  Handles X suggests following, separated by commas (chorus_related()), or ''.
 * @return string The intent URL (not yet escaped for HTML).
 */
function chorus_x_intent( $text, $url, $via, $hashtags, $related = '' ) {
	// The characters that make X refuse a post (twitter-text's invalid ones). Its directional embeddings
	// and overrides (U+202A–U+202E) are valid and stay: right-to-left quotes need them.
	$text = (string) preg_replace( '/[\x{FFFE}\x{FEFF}\x{FFFF}]/u', '', $text );
	$tags = '' === $hashtags ? array() : explode( ' ', $hashtags );
	for ( $attempt = 0; $attempt < 3; $attempt++ ) {
		$post = function ( $candidate ) use ( $url, $tags, $via ) {
			$parts = array_merge( array( $candidate, $url ), array_map( function ( $tag ) {
				return '#' . $tag;
			}, $tags ), array( '' === $via ? '' : 'via @' . $via ) );
			return implode( ' ', array_filter( $parts, 'strlen' ) );
		};
		$fitted = chorus_x_fit( $text, $post );
		if ( null !== $fitted ) {
			break;
		}
		// Even "…" is too long: the extras go, hashtags first.
		if ( $tags ) {
			$tags = array();
		} else {
			$via = '';
		}
	}
	$query = array(
		'text'     => null === $fitted ? '' : $fitted,
		'url'      => $url,
		'via'      => $via,
		'hashtags' => implode( ',', $tags ),
		'related'  => (string) $related,
	);
	$pairs = array();
	foreach ( $query as $key => $value ) {
		if ( '' !== $value ) {
			$pairs[] = $key . '=' . rawurlencode( $value );
		}
	}
	return 'https://x.com/intent/tweet' . ( $pairs ? '?' . implode( '&', $pairs ) : '' );
}

/**
 * The longest start of `$text` (whole words, else whole graphemes) that, ended with `…`, keeps
 * `$post( $text )` within 280; `$text` itself when it fits; null when nothing does.
 */
function chorus_x_fit( $text, callable $post ) {
	$fits = function ( $candidate ) use ( $post ) {
		return chorus_x_bound( $post( $candidate ) ) <= 280;
	};
	if ( $fits( $text ) ) {
		return $text;
	}
	$cut = function ( array $pieces, $glue ) use ( $fits ) {
		// Binary search: fitting is monotonic in the number of pieces kept.
		$low  = 0;
		$high = count( $pieces );
		while ( $low < $high ) {
			$mid = intdiv( $low + $high + 1, 2 );
			if ( $fits( rtrim( implode( $glue, array_slice( $pieces, 0, $mid ) ) ) . '…' ) ) {
				$low = $mid;
			} else {
				$high = $mid - 1;
			}
		}
		return $low;
	};
	$words = preg_split( '/\s+/u', $text, -1, PREG_SPLIT_NO_EMPTY );
	$kept  = $cut( $words, ' ' );
	if ( $kept > 0 ) {
		return implode( ' ', array_slice( $words, 0, $kept ) ) . '…';
	}
	// A first word longer than a post: whole graphemes of it.
	preg_match_all( '/\X/u', $words ? $words[0] : '', $graphemes );
	$kept = $cut( $graphemes[0], '' );
	if ( $kept > 0 ) {
		return implode( '', array_slice( $graphemes[0], 0, $kept ) ) . '…';
	}
	return $fits( '…' ) ? '…' : null;
}
