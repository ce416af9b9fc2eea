<?php
/**
 * The elements' own strings in the site's language. Each element class has its reader-facing strings in a
 * static `strings` object (English); on a translated site a small inline module before chorus.js edits those
 * objects once each class is defined (`customElements.whenDefined()`, so the order of the scripts does not
 * matter) and asks the elements on the page to render again. That runs in the microtask after the define,
 * before the browser paints: no English shows. An English site prints nothing.
 *
 * @package Chorus
 */

defined( 'ABSPATH' ) || exit;

// Before the script modules (wp_head or wp_footer, 10) and the footer scripts (wp_footer, 20).
add_action( 'wp_head', 'chorus_print_element_strings', 8 );
add_action( 'wp_footer', 'chorus_print_element_strings', 1 );

/**
 * Each element's strings in the site's language, as the element's `strings` takes them: `{name}`
 * placeholders where PHP's have `%s`.
 *
 * @return array Tag => (key => string, or key => array of strings for `networks`).
 */
function chorus_element_strings() {
	return array(
		'quote-to-tweet' => array(
			'label'               => __( 'Click to Tweet', 'chorus' ),
			'actions'             => __( 'Share this quote', 'chorus' ),
			/* translators: %s: a network's name, such as Bluesky. */
			'shareOn'             => str_replace( '%s', '{network}', __( 'Share on %s', 'chorus' ) ),
			'native'              => __( 'Share…', 'chorus' ),
			'copy'                => __( 'Copy', 'chorus' ),
			'copied'              => __( 'Quote and link copied', 'chorus' ),
			'copyFailed'          => __( 'Could not copy', 'chorus' ),
			'mastodonServer'      => __( 'Your Mastodon server', 'chorus' ),
			'mastodonPlaceholder' => __( 'mastodon.social', 'chorus' ),
			/* translators: The button that shares on the Mastodon server the reader typed. */
			'mastodonGo'          => __( 'Share', 'chorus' ),
			'mastodonInvalid'     => __( 'Enter a server name such as mastodon.social', 'chorus' ),
			// The other networks are names, the same in every language.
			'networks'            => array( 'email' => __( 'Email', 'chorus' ) ),
		),
		'comment-prompt' => array(
			'form'     => __( 'Leave a comment', 'chorus' ),
			'email'    => __( 'Reply by email', 'chorus' ),
			/* translators: %s: the post's title. */
			'subject'  => str_replace( '%s', '{title}', __( 'Re: %s', 'chorus' ) ),
			'reply'    => __( 'Your reply', 'chorus' ),
			'name'     => __( 'Your name (optional)', 'chorus' ),
			'send'     => __( 'Send', 'chorus' ),
			'sending'  => __( 'Sending…', 'chorus' ),
			'sent'     => __( 'Thank you: your reply was sent.', 'chorus' ),
			'failed'   => __( 'Your reply could not be sent. It is kept here: try again in a moment.', 'chorus' ),
			/* translators: %s: how many characters too many. */
			'tooLong'  => str_replace( '%s', '{over}', __( 'Your reply is %s characters too long.', 'chorus' ) ),
			'empty'    => __( 'Write your reply first.', 'chorus' ),
			'tooQuick' => __( 'That was quick! Read your reply again, then send it.', 'chorus' ),
			/* translators: 1: characters typed, 2: characters allowed. */
			'count'    => str_replace( array( '%1$s', '%2$s' ), array( '{count}', '{max}' ), __( '%1$s of %2$s characters', 'chorus' ) ),
			'trap'     => __( 'Leave this field empty', 'chorus' ),
		),
		'course-cta'     => array(
			'label'   => __( 'Find out more', 'chorus' ),
			'dismiss' => __( 'Dismiss', 'chorus' ),
		),
	);
}

/** The elements' English strings, as chorus_element_strings() has them when nothing is translated. */
function chorus_element_strings_english() {
	// gettext_chorus runs after every other filter of the translation (and after gettext).
	$english = function ( $translation, $text ) {
		return $text;
	};
	add_filter( 'gettext_chorus', $english, PHP_INT_MAX, 2 );
	$strings = chorus_element_strings();
	remove_filter( 'gettext_chorus', $english, PHP_INT_MAX );
	return $strings;
}

/**
 * The strings that differ from the English ones, per tag; empty on an English site.
 *
 * @return array Tag => (key => string or array).
 */
function chorus_translated_element_strings() {
	$english    = chorus_element_strings_english();
	$translated = array();
	foreach ( chorus_element_strings() as $tag => $strings ) {
		foreach ( $strings as $key => $value ) {
			$default = $english[ $tag ][ $key ];
			$changed = is_array( $value ) ? array_diff_assoc( $value, $default ) : ( $value !== $default ? $value : null );
			if ( null !== $changed && array() !== $changed ) {
				$translated[ $tag ][ $key ] = $changed;
			}
		}
	}
	return $translated;
}

/**
 * The inline module that gives the elements the site's language, once per page; '' on an English site, or
 * when it was already printed.
 */
function chorus_element_strings_script() {
	static $printed = false;
	// The editor may print chorus.js in its canvas's iframe and outside it: there, each gets the strings.
	if ( $printed && ! is_admin() ) {
		return '';
	}
	$printed    = true;
	$translated = chorus_translated_element_strings();
	if ( ! $translated ) {
		return '';
	}
	// JSON_HEX_TAG: no `</script>` or `<!--` can end the script early, whatever a translation holds.
	$json = wp_json_encode( $translated, JSON_HEX_TAG | JSON_HEX_AMP | JSON_HEX_APOS | JSON_HEX_QUOT );
	if ( ! is_string( $json ) ) {
		return '';
	}
	$js = 'for(const[t,s]of Object.entries(' . $json . '))customElements.whenDefined(t).then(C=>{const o=C.strings;if(!o)return;'
		. 'for(const k in s)o[k]=typeof s[k]=="object"?{...o[k],...s[k]}:s[k];document.querySelectorAll(t).forEach(e=>e.requestUpdate?.())})';
	return '<script type="module" id="chorus-strings">' . $js . "</script>\n";
}

/** Prints the strings' module on a page that loads chorus.js, before it (see the hooks above). */
function chorus_print_element_strings() {
	if ( chorus_is_plain_context() || ! chorus_script_enqueued() ) {
		return;
	}
	echo chorus_element_strings_script(); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- the plugin's own script; the strings JSON-encoded with < > & ' " as \u escapes.
}
