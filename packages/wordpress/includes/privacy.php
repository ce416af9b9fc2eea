<?php
/**
 * What Chorus collects, for the site's privacy policy (Settings → Privacy suggests it).
 *
 * @package Chorus
 */

defined( 'ABSPATH' ) || exit;

add_action( 'admin_init', 'chorus_privacy_policy_content' );

/** Suggests the privacy policy's text about Chorus. */
function chorus_privacy_policy_content() {
	if ( ! function_exists( 'wp_add_privacy_policy_content' ) ) {
		return;
	}
	$paragraphs = array(
		__( 'This site uses Chorus to offer quotes to share, a question to answer and a course box, and to count what readers do with them.', 'chorus' ),
		__( 'When a collector is configured, your browser sends it, for each page view: the page address (without its #fragment) and title, the referring page, and what you did with the Chorus elements on it (a quote shared, and on which network; the course box seen or clicked; a reply sent from the comment prompt, with its text and the name you gave). No cookie is set and no identifier is stored in your browser for this. The collector sees your IP address and browser name to count unique readers per day: it combines them with a random value it destroys every day, and does not store them.', 'chorus' ),
		__( 'A link you share from a quote carries a short tag at its end (for example #cq=3kq9xb.b) that names the quote and the network, never you. A click on the course box carries UTM parameters naming the campaign and placement; the course site may keep them for your browser tab (sessionStorage) to attribute a purchase to this post.', 'chorus' ),
		__( 'Your choice to dismiss the course box, a Mastodon server you entered and a draft reply are kept in your browser only (localStorage and sessionStorage), and never sent.', 'chorus' ),
	);
	$settings = chorus_settings();
	if ( $settings['respect_dnt'] ) {
		$paragraphs[] = __( 'Nothing is sent when your browser asks for Do Not Track or Global Privacy Control.', 'chorus' );
	}
	wp_add_privacy_policy_content( 'Chorus', wp_kses_post( '<p>' . implode( '</p><p>', array_map( 'esc_html', $paragraphs ) ) . '</p>' ) );
}
